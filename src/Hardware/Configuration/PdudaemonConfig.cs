namespace DeviceTest.Hardware.Configuration;

/// <summary><c>power: { pdudaemon: { url, hostname, port } }</c>: pdudaemon's HTTP API.</summary>
public sealed class PdudaemonConfig
{
    public required Uri Url { get; init; }

    public required string Hostname { get; init; }

    public required int Port { get; init; }

    public TimeSpan CycleDelay { get; init; } = TimeSpan.FromSeconds(1);
}
