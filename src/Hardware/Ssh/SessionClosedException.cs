namespace DeviceTest.Hardware.Ssh;

/// <summary>A persistent session was found closed before its command started (so the command can be retried).</summary>
internal sealed class SessionClosedException : Exception
{
    public SessionClosedException()
    {
    }

    public SessionClosedException(string message)
        : base(message)
    {
    }

    public SessionClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
