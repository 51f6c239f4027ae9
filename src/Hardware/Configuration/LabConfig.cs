using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// The <c>lab</c> section: the lab host the device's SD-mux and card reader, capture card, keyboard emulator or
/// switch hang off, reached over SSH with standard tools only (sh, dd, the decompressor, ffmpeg, curl, base64).
/// Flashing and the commands of <c>screen</c>, <c>keyboard</c> and <c>network</c> run there when it is set, else on
/// this machine.
/// </summary>
public sealed class LabConfig
{
    private static readonly string[] Keys = ["ssh"];

    /// <summary>How to reach the lab host (the <c>ssh</c> section's keys).</summary>
    public required SshConfig Ssh { get; init; }

    /// <summary>Reads <c>lab: { ssh: {...} }</c> (the <c>ssh</c> mapping as a device's); null after an error.</summary>
    internal static LabConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        if (!map.Contains("ssh"))
        {
            map.Document.Error(map.Node, DeviceFileErrorCodes.MissingKey, "`lab` has no `ssh`; write lab: { ssh: { host: labhost-1, user: lab } }");
            return null;
        }

        var ssh = map.Mapping("ssh") is { } sshMap ? SshConfig.Read(sshMap) : null;
        return ssh is null ? null : new LabConfig { Ssh = ssh };
    }
}
