namespace DeviceTest.Framework.Running;

/// <summary>Where a run's files go: the given results directory, or a temporary one removed when the run ends.</summary>
internal sealed record ResultsRoot(string Path, bool Temporary)
{
    public static ResultsRoot For(RunOptions options) => options.ResultsDirectory is { } given
        ? new ResultsRoot(System.IO.Path.GetFullPath(given), Temporary: false)
        : new ResultsRoot(Directory.CreateTempSubdirectory("devicetest-results-").FullName, Temporary: true);

    /// <summary>Removes <paramref name="path"/> if it exists; a file still held open stays (best effort).</summary>
    public static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
