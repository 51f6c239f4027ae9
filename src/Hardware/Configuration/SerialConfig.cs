namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>serial</c> section: a local tty path, <c>tcp://host:port</c> (ser2net raw) or <c>rfc2217://host:port</c>.</summary>
public sealed class SerialConfig
{
    public required string Port { get; init; }

    public int Baud { get; init; } = 115200;
}
