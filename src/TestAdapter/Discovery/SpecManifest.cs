namespace DeviceTest.TestAdapter.Discovery;

/// <summary>
/// <c>&lt;TargetName&gt;.devicetest.json</c>, written by the build next to the test dll: the project's directory
/// and its <c>DeviceTestSpec</c> items relative to it.
/// <code>
/// { "version": 1, "projectDirectory": "/src/MyTests", "specs": [ { "path": "specs/smoke.spec.yml" } ] }
/// </code>
/// </summary>
internal sealed class SpecManifest
{
    public required string ManifestPath { get; init; }

    /// <summary>The project directory, or null when the manifest names none.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>The specs, as absolute paths, in the manifest's order, without duplicates.</summary>
    public required IReadOnlyList<string> SpecPaths { get; init; }

    /// <summary>The manifest path for a test dll.</summary>
    public static string PathFor(string source) =>
        Path.Combine(Path.GetDirectoryName(source) ?? ".", Path.GetFileNameWithoutExtension(source) + AdapterConstants.ManifestSuffix);

    /// <summary>
    /// Reads the manifest next to <paramref name="source"/>. Null without an error when there is none (a project that
    /// does not use the build props); null with <paramref name="error"/> set when it cannot be read.
    /// </summary>
    public static SpecManifest? TryRead(string source, out string? error)
    {
        var path = PathFor(source);
        return BuildJson.Read(path, "the spec list", fields => Parse(path, fields), out error);
    }

    private static SpecManifest Parse(string path, BuildJsonFields fields)
    {
        var projectDirectory = fields.Text(fields.Root, "projectDirectory");
        var baseDirectory = projectDirectory is { Length: > 0 } && Directory.Exists(projectDirectory)
            ? projectDirectory
            : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var specs = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in fields.Array("specs"))
        {
            var relative = fields.Text(entry) ?? fields.Text(entry, "path");
            if (string.IsNullOrWhiteSpace(relative))
            {
                continue;
            }

            var full = Path.GetFullPath(Path.Combine(baseDirectory, relative));
            if (seen.Add(full))
            {
                specs.Add(full);
            }
        }

        return new SpecManifest { ManifestPath = path, ProjectDirectory = projectDirectory, SpecPaths = specs };
    }
}
