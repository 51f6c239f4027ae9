using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary><c>power: { command: { on: ..., off: ..., cycle: ... } }</c>: shell commands run on this host.</summary>
public sealed class CommandPowerConfig
{
    private static readonly TimeSpan DefaultCycleDelay = TimeSpan.FromSeconds(1);
    private static readonly string[] Keys = ["on", "off", "cycle", "cycle_delay"];

    public required string On { get; init; }

    public required string Off { get; init; }

    /// <summary>Optional; without it a cycle is off, <see cref="CycleDelay"/>, on.</summary>
    public string? Cycle { get; init; }

    public TimeSpan CycleDelay { get; init; } = DefaultCycleDelay;

    /// <summary>Reads <c>power.command: { on, off, cycle, cycle_delay }</c>; null after an error.</summary>
    internal static CommandPowerConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var on = map.Text("on", required: true);
        var off = map.Text("off", required: true);
        var cycle = map.Text("cycle");
        var delay = map.Duration("cycle_delay");
        if (on is null || off is null)
        {
            return null;
        }

        return new CommandPowerConfig { On = on, Off = off, Cycle = cycle, CycleDelay = delay ?? DefaultCycleDelay };
    }
}
