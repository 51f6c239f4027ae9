namespace DeviceTest.Hardware.Configuration;

/// <summary><c>power: { command: { on: ..., off: ..., cycle: ... } }</c>: shell commands run on this host.</summary>
public sealed class CommandPowerConfig
{
    public required string On { get; init; }

    public required string Off { get; init; }

    /// <summary>Optional; without it a cycle is off, <see cref="CycleDelay"/>, on.</summary>
    public string? Cycle { get; init; }

    public TimeSpan CycleDelay { get; init; } = TimeSpan.FromSeconds(1);
}
