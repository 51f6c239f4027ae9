namespace DeviceTest.Hardware;

/// <summary>The device could not be reached (connection refused, unreachable host, bad credentials...).</summary>
public sealed class DeviceUnreachableException : Exception
{
    public DeviceUnreachableException()
    {
    }

    public DeviceUnreachableException(string message)
        : base(message)
    {
    }

    public DeviceUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
