namespace DeviceTest.Hardware.Power;

/// <summary>A power switch did not do what was asked (command failed, pdudaemon refused or unreachable).</summary>
public sealed class PowerException : Exception
{
    public PowerException()
    {
    }

    public PowerException(string message)
        : base(message)
    {
    }

    public PowerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
