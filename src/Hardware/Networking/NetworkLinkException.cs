namespace DeviceTest.Hardware.Networking;

/// <summary>The network link could not be set (the command failed or hung, QEMU refused).</summary>
public sealed class NetworkLinkException : Exception
{
    public NetworkLinkException()
    {
    }

    public NetworkLinkException(string message)
        : base(message)
    {
    }

    public NetworkLinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
