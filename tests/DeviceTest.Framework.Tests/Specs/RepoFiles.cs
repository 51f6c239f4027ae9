using DeviceTest.Lab;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>Files of the repository the tests check: sample specs, the JSON Schema, fiotest's examples.</summary>
internal static class RepoFiles
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds Adapter.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string SchemaPath => Path.Combine(Root, "schemas", "spec.schema.json");

    /// <summary>
    /// fiotest's documented examples: <c>shared/examples/fiotest</c> in the repository's parent folder (or further up,
    /// for worktrees). Skips (fails on CI) when the folder is not there.
    /// </summary>
    public static string FiotestExamples
    {
        get
        {
            for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "examples", "fiotest");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            LabRequirement.Missing($"fiotest examples not found: no shared/examples/fiotest above {Root}");
            return string.Empty;
        }
    }

    /// <summary>Every example spec the repository ships or relies on.</summary>
    public static IReadOnlyList<string> ExampleSpecs()
    {
        var samples = Path.Combine(Root, "samples");
        var schemas = Path.Combine(Root, "schemas");
        var files = Directory.GetFiles(FiotestExamples, "*.yml")
            .Concat(Directory.Exists(samples) ? Directory.GetFiles(samples, "*.spec.yml", SearchOption.AllDirectories) : [])
            .Concat(Directory.Exists(schemas) ? Directory.GetFiles(schemas, "*.yml", SearchOption.AllDirectories) : [])
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        return files;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Adapter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Adapter.sln not found above {AppContext.BaseDirectory}");
    }
}
