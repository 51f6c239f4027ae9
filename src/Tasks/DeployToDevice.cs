using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Tasks.Deployment;
using Microsoft.Build.Framework;

namespace DeviceTest.Tasks;

/// <summary>
/// Copies <c>DeviceArtifact</c> items to the device, sending only files whose content (SHA-256) changed or that the
/// device no longer holds as deployed; keeps modes, creates directories, never leaves a partial file at a target
/// path. Logs each file sent and a summary.
/// </summary>
public sealed class DeployToDevice : DeviceTaskBase
{
    /// <summary>The files: <c>TargetPath</c> (absolute POSIX path on the device) and optional <c>Mode</c> (octal).</summary>
    [Required]
    public ITaskItem[] Artifacts { get; set; } = [];

    /// <summary>The local record of what was deployed (e.g. <c>obj/devicetest/NAME.deploy-cache</c>); empty: none.</summary>
    public string? CacheFile { get; set; }

    /// <summary>Where the device keeps its own record (absolute POSIX path); empty: <see cref="DefaultManifestDirectory"/>
    /// + <c>ProjectName.manifest</c>, except for <c>local</c> (this machine: the local cache is enough); <c>none</c>: no record.</summary>
    public string? ManifestPath { get; set; }

    /// <summary>Names the default manifest on the device (the project's name).</summary>
    public string? ProjectName { get; set; }

    /// <summary>The directory on the device that holds manifests by default.</summary>
    public const string DefaultManifestDirectory = "/var/lib/devicetest/deploy";

    /// <summary>How many files were sent (output).</summary>
    [Output]
    public int FilesSent { get; set; }

    /// <summary>How many files were already on the device (output).</summary>
    [Output]
    public int FilesSkipped { get; set; }

    internal override async Task<bool> ExecuteAsync(CancellationToken cancellationToken)
    {
        var artifacts = CheckArtifacts();
        if (artifacts is null)
        {
            return false;
        }

        var manifest = string.IsNullOrWhiteSpace(ManifestPath) ? null : ManifestPath.Trim();
        if (manifest is not null && manifest != "none" && TargetPaths.Check(manifest) is { } manifestProblem)
        {
            LogProjectError(ErrorCodes.BadParameter, $"DeviceTestDeployManifest '{manifest}' {manifestProblem}");
            return false;
        }

        var config = ResolveDeviceConfig();
        if (config is null)
        {
            return false;
        }

        if (artifacts.Count == 0)
        {
            Log.LogMessage(MessageImportance.Normal, $"DeployToDevice: no DeviceArtifact items; nothing to deploy to '{config.Name}'.");
            return true;
        }

        var cacheFile = string.IsNullOrWhiteSpace(CacheFile) ? null : Path.GetFullPath(CacheFile.Replace("{device}", config.Name, StringComparison.Ordinal));
        await using var device = DeviceFactory.Create(config);
        var deployer = new Deployer(device, new MSBuildDeployLog(Log))
        {
            CacheFile = cacheFile,
            ManifestPath = manifest switch
            {
                "none" => null,
                null when config.Name == DeviceFileLoader.LocalDeviceName => null,
                null => DefaultManifestDirectory + "/" + ManifestName(ProjectName) + ".manifest",
                _ => manifest,
            },
        };
        Log.LogMessage(MessageImportance.Normal, $"DeployToDevice: {artifacts.Count} artifact(s) to '{config.Name}' ({string.Join(", ", device.Transports)})");
        try
        {
            var summary = await deployer.DeployAsync(artifacts.Select(a => a.Spec).ToList(), cancellationToken);
            FilesSent = summary.FilesSent;
            FilesSkipped = summary.FilesSkipped;
            Log.LogMessage(MessageImportance.High, $"DeployToDevice: '{config.Name}': {summary}");
            return true;
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            // ENOSPC: "No space left on device" from the OS and coreutils; GNU tar reports it as a short write ("Wrote only N of M bytes").
            var full = e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) ||
                e.Message.Contains("Wrote only", StringComparison.Ordinal) ||
                e.Message.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase);
            LogDeviceError(
                full ? ErrorCodes.DiskFull : ErrorCodes.TransferFailed,
                full
                    ? $"device '{config.Name}' is out of disk space (or quota): {e.Message} Nothing partial was left in place; free space on the device or deploy less."
                    : $"deploying to device '{config.Name}' failed: {e.Message} Nothing partial was left in place.");
            return false;
        }
        catch (UnauthorizedAccessException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeviceError(ErrorCodes.TransferFailed, $"deploying to device '{config.Name}' failed: {e.Message}");
            return false;
        }
    }

    private List<CheckedArtifact>? CheckArtifacts()
    {
        var result = new List<CheckedArtifact>();
        var byTarget = new Dictionary<string, CheckedArtifact>(StringComparer.Ordinal);
        var ok = true;
        foreach (var item in Artifacts)
        {
            var definedIn = item.GetMetadata("DefiningProjectFullPath");
            var file = string.IsNullOrEmpty(definedIn) ? ProjectFile : definedIn;
            void Error(string code, string message) => Log.LogError(null, code, null, file, 0, 0, 0, 0, message);

            var local = item.GetMetadata("FullPath");
            var target = item.GetMetadata("TargetPath");
            var modeText = item.GetMetadata("Mode");
            if (!File.Exists(local))
            {
                Error(ErrorCodes.ArtifactMissing, $"DeviceArtifact '{item.ItemSpec}' does not exist ({local}). Build it first or fix the Include.");
                ok = false;
                continue;
            }

            if (string.IsNullOrWhiteSpace(target))
            {
                Error(ErrorCodes.TargetPathMissing, $"DeviceArtifact '{item.ItemSpec}' has no TargetPath; add TargetPath=\"/absolute/path/on/device\".");
                ok = false;
                continue;
            }

            if (TargetPaths.Check(target) is { } problem)
            {
                Error(target.StartsWith('/') ? ErrorCodes.TargetPathInvalid : ErrorCodes.TargetPathRelative, $"DeviceArtifact '{item.ItemSpec}': TargetPath '{target}' {problem}");
                ok = false;
                continue;
            }

            int? mode = null;
            if (!string.IsNullOrWhiteSpace(modeText))
            {
                if (!Octal.TryParseMode(modeText, out var bits))
                {
                    Error(ErrorCodes.BadMode, $"DeviceArtifact '{item.ItemSpec}': Mode '{modeText}' is not octal permission bits such as 755 or 0644.");
                    ok = false;
                    continue;
                }

                mode = bits;
            }

            var artifact = new CheckedArtifact(item.ItemSpec, new ArtifactSpec(local, target, mode));
            if (byTarget.TryGetValue(target, out var other))
            {
                Error(ErrorCodes.DuplicateTarget, $"DeviceArtifact '{item.ItemSpec}' and '{other.ItemSpec}' both go to TargetPath '{target}'; give each its own.");
                ok = false;
                continue;
            }

            byTarget[target] = artifact;
            result.Add(artifact);
        }

        return ok ? result : null;
    }

    private static string ManifestName(string? projectName)
    {
        var name = new string((projectName ?? "project").Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());
        return name.Length == 0 || name.StartsWith('.') ? "project" + name : name;
    }

    private sealed record CheckedArtifact(string ItemSpec, ArtifactSpec Spec);
}
