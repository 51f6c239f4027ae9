namespace DeviceTest.Agent.Tests.Cli;

/// <summary>Files of this repository (samples, the fiotest examples shipped next to it).</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the folder above the test binaries that holds Adapter.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

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
