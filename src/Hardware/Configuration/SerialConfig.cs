namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>serial</c> section: a local tty path, <c>tcp://host:port</c> (ser2net raw) or <c>rfc2217://host:port</c>.</summary>
public sealed class SerialConfig
{
    public required string Port { get; init; }

    public int Baud { get; init; } = 115200;

    /// <summary>What opens a local port; null: termios on Linux, System.IO.Ports elsewhere (<see cref="EffectiveDriver"/>).</summary>
    public SerialDriver? Driver { get; init; }

    /// <summary>The driver a local port is opened with on this machine.</summary>
    public SerialDriver EffectiveDriver => Driver ?? (OperatingSystem.IsLinux() ? SerialDriver.Termios : SerialDriver.SystemIoPorts);
}
