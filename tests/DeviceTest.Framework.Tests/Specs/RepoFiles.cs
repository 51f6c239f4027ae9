using DeviceTest.Lab;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>Files of the repository the tests check: sample specs, the JSON Schema, fiotest's examples.</summary>
internal static class RepoFiles
{
    /// <summary>The repository root (the folder with Adapter.sln).</summary>
    public static string Root => RepositoryRoot.Path;

    public static string SchemaPath => Path.Combine(Root, "schemas", "spec.schema.json");

    /// <summary>fiotest's documented examples, kept in the repository (<c>tests/data/fiotest</c>, with their source and licence).</summary>
    public static string FiotestExamples => Path.Combine(Root, "tests", "data", "fiotest");

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
}
