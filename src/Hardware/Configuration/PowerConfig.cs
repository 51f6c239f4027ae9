namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>power</c> section: exactly one of its backends is set.</summary>
public sealed class PowerConfig
{
    public CommandPowerConfig? Command { get; init; }

    public PdudaemonConfig? Pdudaemon { get; init; }
}
