namespace DeviceTest.Framework.Suites;

/// <summary>Thrown by a device test (or setup) to skip itself; the message is the reason shown.</summary>
public sealed class SkipTestException : Exception
{
    public SkipTestException()
        : this("skipped by the test")
    {
    }

    public SkipTestException(string reason)
        : base(reason)
    {
    }

    public SkipTestException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
