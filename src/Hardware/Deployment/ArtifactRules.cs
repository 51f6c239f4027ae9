namespace DeviceTest.Hardware.Deployment;

/// <summary>
/// Checks <c>DeviceArtifact</c> items before a deploy: the file exists, <c>TargetPath</c> is an absolute POSIX file
/// path on the device (see <see cref="TargetPaths"/>), <c>Mode</c> is octal, and no two items share a target.
/// </summary>
internal static class ArtifactRules
{
    /// <summary>The artifacts to deploy, or the problems (each item is checked; none is deployed if any is wrong).</summary>
    public static (IReadOnlyList<ArtifactSpec> Artifacts, IReadOnlyList<ArtifactProblem> Problems) Check(IEnumerable<ArtifactItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var artifacts = new List<ArtifactSpec>();
        var problems = new List<ArtifactProblem>();
        var byTarget = new Dictionary<string, ArtifactItem>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (CheckOne(item, byTarget) is { } problem)
            {
                problems.Add(problem);
                continue;
            }

            byTarget[item.TargetPath!] = item;
            artifacts.Add(new ArtifactSpec(item.LocalPath, item.TargetPath!, Octal.TryParseMode(item.Mode, out var mode) ? mode : null));
        }

        return (problems.Count == 0 ? artifacts : [], problems);
    }

    private static ArtifactProblem? CheckOne(ArtifactItem item, Dictionary<string, ArtifactItem> byTarget)
    {
        if (!File.Exists(item.LocalPath))
        {
            return new(item, DeployCodes.ArtifactMissing, $"DeviceArtifact '{item.ItemSpec}' does not exist ({item.LocalPath}). Build it first or fix the Include.");
        }

        var target = item.TargetPath;
        if (string.IsNullOrWhiteSpace(target))
        {
            return new(item, DeployCodes.TargetPathMissing, $"DeviceArtifact '{item.ItemSpec}' has no TargetPath; add TargetPath=\"/absolute/path/on/device\".");
        }

        if (TargetPaths.Check(target) is { } problem)
        {
            return new(item, target.StartsWith('/') ? DeployCodes.TargetPathInvalid : DeployCodes.TargetPathRelative, $"DeviceArtifact '{item.ItemSpec}': TargetPath '{target}' {problem}");
        }

        if (!string.IsNullOrWhiteSpace(item.Mode) && !Octal.TryParseMode(item.Mode, out _))
        {
            return new(item, DeployCodes.BadMode, $"DeviceArtifact '{item.ItemSpec}': Mode '{item.Mode}' is not octal permission bits such as 755 or 0644.");
        }

        return byTarget.TryGetValue(target, out var other)
            ? new(item, DeployCodes.DuplicateTarget, $"DeviceArtifact '{item.ItemSpec}' and '{other.ItemSpec}' both go to TargetPath '{target}'; give each its own.")
            : null;
    }
}
