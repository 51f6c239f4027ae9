namespace DeviceTest.Lab;

/// <summary>The repository the tests run from: the nearest folder above the test binaries that holds Adapter.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>A path in the repository, e.g. <c>Combine("tests", "data", "fiotest")</c>.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
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
