namespace DeviceTest.Agent.Tests.Cli;

/// <summary>Files of this repository (samples) and the fiotest examples next to it.</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the folder above the test binaries that holds Adapter.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>
    /// fiotest's documented example specs: <c>shared/examples/fiotest</c> above the repository (worktrees included).
    /// Skips the test (fails it on CI) when they are not there.
    /// </summary>
    public static string FiotestExample(string fileName)
    {
        for (var folder = new DirectoryInfo(Root); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.Combine(folder.FullName, "shared", "examples", "fiotest");
            if (Directory.Exists(candidate))
            {
                return System.IO.Path.Combine(candidate, fileName);
            }
        }

        DeviceTest.Lab.LabRequirement.Missing($"fiotest examples not found: no shared/examples/fiotest above {Root}");
        return string.Empty;
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Adapter.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Adapter.sln above {AppContext.BaseDirectory}");
    }
}
