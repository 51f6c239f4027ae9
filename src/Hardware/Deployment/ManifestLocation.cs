using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Deployment;

/// <summary>
/// Where the device keeps its record of a project's deploys (<c>DeviceTestDeployManifest</c>): by default
/// <see cref="DefaultDirectory"/>/<c>PROJECT.manifest</c>, none for <c>local</c> (this machine: the local cache is
/// enough), none when set to <c>none</c>, else the absolute path given.
/// </summary>
internal static class ManifestLocation
{
    /// <summary>The directory on the device that holds manifests by default.</summary>
    public const string DefaultDirectory = "/var/lib/devicetest/deploy";

    /// <summary>What is wrong with a <c>DeviceTestDeployManifest</c> setting, or null.</summary>
    public static string? Check(string? setting) =>
        Normalize(setting) is { } manifest && manifest != "none" && TargetPaths.Check(manifest) is { } problem
            ? $"DeviceTestDeployManifest '{manifest}' {problem}"
            : null;

    /// <summary>The manifest path on <paramref name="deviceName"/>, or null for none.</summary>
    public static string? Resolve(string? setting, string deviceName, string? projectName) => Normalize(setting) switch
    {
        "none" => null,
        null when deviceName == DeviceFileLoader.LocalDeviceName => null,
        null => DefaultDirectory + "/" + FileName(projectName) + ".manifest",
        var manifest => manifest,
    };

    private static string? Normalize(string? setting) => string.IsNullOrWhiteSpace(setting) ? null : setting.Trim();

    private static string FileName(string? projectName)
    {
        var name = new string((projectName ?? "project").Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());
        return name.Length == 0 || name.StartsWith('.') ? "project" + name : name;
    }
}
