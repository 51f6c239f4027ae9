namespace DeviceTest.Hardware;

/// <summary>The device stopped answering while a command or transfer was under way ("device lost").</summary>
public sealed class DeviceLostException : Exception
{
    public DeviceLostException()
    {
    }

    public DeviceLostException(string message)
        : base(message)
    {
    }

    public DeviceLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
