using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Deployment;
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
    public const string DefaultManifestDirectory = ManifestLocation.DefaultDirectory;

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

        if (ManifestLocation.Check(ManifestPath) is { } manifestProblem)
        {
            LogProjectError(ErrorCodes.BadParameter, manifestProblem);
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

        if (config.Qemu is not null)
        {
            // A QEMU board runs only while tests run (each run boots it from its image): the test adapter deploys after boot.
            Log.LogMessage(
                MessageImportance.High,
                $"DeployToDevice: '{config.Name}' is a QEMU board, booted by each test run: the test adapter puts the {artifacts.Count} artifact(s) on it after it boots.");
            return true;
        }

        var cacheFile = string.IsNullOrWhiteSpace(CacheFile) ? null : Path.GetFullPath(CacheFile.Replace("{device}", config.Name, StringComparison.Ordinal));
        await using var device = DeviceFactory.Create(config);
        var deployer = new Deployer(device, new MSBuildDeployLog(Log))
        {
            CacheFile = cacheFile,
            ManifestPath = ManifestLocation.Resolve(ManifestPath, config.Name, ProjectName),
        };
        Log.LogMessage(MessageImportance.Normal, $"DeployToDevice: {artifacts.Count} artifact(s) to '{config.Name}' ({string.Join(", ", device.Transports)})");
        try
        {
            var summary = await deployer.DeployAsync(artifacts, cancellationToken);
            FilesSent = summary.FilesSent;
            FilesSkipped = summary.FilesSkipped;
            Log.LogMessage(MessageImportance.High, $"DeployToDevice: '{config.Name}': {summary}");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
        {
            var (code, message) = DeployFailure.Describe(e, config.Name);
            LogDeviceError(code, message);
            return false;
        }
    }

    private List<ArtifactSpec>? CheckArtifacts()
    {
        var items = Artifacts.Select(item => new ArtifactItem(
            item.ItemSpec,
            item.GetMetadata("FullPath"),
            item.GetMetadata("TargetPath"),
            item.GetMetadata("Mode"),
            item.GetMetadata("DefiningProjectFullPath") is { Length: > 0 } definedIn ? definedIn : ProjectFile));
        var (artifacts, problems) = ArtifactRules.Check(items);
        foreach (var problem in problems)
        {
            Log.LogError(null, problem.Code, null, problem.Item.DefinedIn, 0, 0, 0, 0, problem.Message);
        }

        return problems.Count == 0 ? [.. artifacts] : null;
    }


}
