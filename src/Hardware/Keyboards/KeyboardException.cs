namespace DeviceTest.Hardware.Keyboards;

/// <summary>A key could not be sent (the key command failed or hung, QEMU refused).</summary>
public sealed class KeyboardException : Exception
{
    public KeyboardException()
    {
    }

    public KeyboardException(string message)
        : base(message)
    {
    }

    public KeyboardException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
