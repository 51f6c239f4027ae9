using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>power</c> section: exactly one of its backends is set.</summary>
public sealed class PowerConfig
{
    // Every key of `power` is a backend, and exactly one must be given.
    private static readonly string[] Backends = ["command", "pdudaemon"];

    public CommandPowerConfig? Command { get; init; }

    public PdudaemonConfig? Pdudaemon { get; init; }

    /// <summary>Reads <c>power: { command: {...} }</c> or <c>power: { pdudaemon: {...} }</c>; null after an error.</summary>
    internal static PowerConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Backends);
        var command = map.Mapping("command") is { } commandMap ? CommandPowerConfig.Read(commandMap) : null;
        var pdudaemon = map.Mapping("pdudaemon") is { } pduMap ? PdudaemonConfig.Read(pduMap) : null;
        var backends = Backends.Count(map.Contains);
        if (backends != 1)
        {
            map.Document.Error(map.Node, DeviceFileErrorCodes.PowerBackend,
                backends == 0
                    ? "`power` needs one of `command` (shell commands) or `pdudaemon`"
                    : "`power` must have only one of `command` and `pdudaemon`; remove one");
            return null;
        }

        return command is null && pdudaemon is null ? null : new PowerConfig { Command = command, Pdudaemon = pdudaemon };
    }
}
