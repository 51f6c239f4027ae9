using DeviceTest.Hardware.Deployment;
using DeviceTest.TestAdapter.Discovery;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// <c>&lt;TargetName&gt;.devicetest-deploy.json</c>, written by the build next to the test dll when the project has
/// <c>DeviceArtifact</c> items: what the adapter puts on each device it runs tests on, before the first test there.
/// So tests find their artifacts however they are started (Test Explorer, <c>dotnet test</c>, vstest.console) and on
/// every device of a pool, not only the one the build deployed to.
/// <code>
/// { "version": 1, "encoding": "uri", "project": "MyTests", "cache": "%2Fsrc%2FMyTests%2Fobj%2Fdevicetest%2F%7Bdevice%7D.deploy-cache",
///   "manifest": "", "artifacts": [ { "item": "tools%2Fprobe.sh", "path": "%2Fsrc%2FMyTests%2Ftools%2Fprobe.sh",
///   "targetPath": "%2Fopt%2Fprobe.sh", "mode": "755", "definedIn": "%2Fsrc%2FMyTests%2FMyTests.csproj" } ] }
/// </code>
/// Strings are percent-encoded when <c>encoding</c> is <c>uri</c> (the build always writes that), plain otherwise.
/// <code>
/// </code>
/// </summary>
internal sealed class DeployList
{
    public required string ListPath { get; init; }

    /// <summary>The project's name (names the manifest on the device).</summary>
    public string? Project { get; init; }

    /// <summary>The local record of what was deployed; <c>{device}</c> stands for the device's name. Null: none.</summary>
    public string? Cache { get; init; }

    /// <summary><c>DeviceTestDeployManifest</c> as the project sets it (empty: the default).</summary>
    public string? Manifest { get; init; }

    public required IReadOnlyList<ArtifactItem> Artifacts { get; init; }

    /// <summary>The list's path for a test dll.</summary>
    public static string PathFor(string source) =>
        Path.Combine(Path.GetDirectoryName(source) ?? ".", Path.GetFileNameWithoutExtension(source) + AdapterConstants.DeployListSuffix);

    /// <summary>
    /// Reads the list next to <paramref name="source"/>: null without an error when there is none (nothing to deploy);
    /// null with <paramref name="error"/> set when it cannot be read.
    /// </summary>
    public static DeployList? TryRead(string source, out string? error)
    {
        var path = PathFor(source);
        return BuildJson.Read(path, "the DeviceArtifact list", fields => Parse(path, fields), out error);
    }

    private static DeployList Parse(string path, BuildJsonFields fields)
    {
        var artifacts = new List<ArtifactItem>();
        foreach (var entry in fields.Array("artifacts"))
        {
            if (fields.Text(entry, "path") is { Length: > 0 } local)
            {
                artifacts.Add(new ArtifactItem(fields.Text(entry, "item") ?? local, local, fields.Text(entry, "targetPath"), fields.Text(entry, "mode"), fields.Text(entry, "definedIn")));
            }
        }

        return new DeployList
        {
            ListPath = path,
            Project = fields.Text(fields.Root, "project"),
            Cache = fields.Text(fields.Root, "cache") is { Length: > 0 } cache ? cache : null,
            Manifest = fields.Text(fields.Root, "manifest"),
            Artifacts = artifacts,
        };
    }
}
