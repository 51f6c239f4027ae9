using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// The <c>lab</c> section: the lab host the device's SD-mux and medium hang off (<c>lab: { ssh: {...} }</c>). What must
/// run next to the device (writing its medium) runs there over SSH, with standard tools only.
/// </summary>
public sealed class LabConfig
{
    private static readonly string[] Keys = ["ssh"];

    /// <summary>How to reach the lab host (the <c>ssh</c> section's keys).</summary>
    public required SshConfig Ssh { get; init; }

    /// <summary>Reads <c>lab: { ssh: {...} }</c>; null after an error.</summary>
    internal static LabConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var ssh = map.Mapping("ssh", required: true) is { } sshMap ? SshConfig.Read(sshMap) : null;
        return ssh is null ? null : new LabConfig { Ssh = ssh };
    }
}
