namespace DeviceTest.Hardware.Qemu;

/// <summary>QEMU answered a QMP command with an error.</summary>
public sealed class QmpException : Exception
{
    public QmpException()
    {
    }

    public QmpException(string message)
        : base(message)
    {
    }

    public QmpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public QmpException(string command, string? errorClass, string? description)
        : base($"QEMU refused QMP command '{command}': {errorClass}: {description}")
    {
        Command = command;
        ErrorClass = errorClass;
    }

    /// <summary>The QMP command that failed.</summary>
    public string? Command { get; }

    /// <summary>QMP's error class, e.g. <c>GenericError</c> or <c>CommandNotFound</c>.</summary>
    public string? ErrorClass { get; }
}
