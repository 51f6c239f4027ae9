namespace DeviceTest.Hardware.Local;

/// <summary>
/// <see cref="IWorkDirectoryCommands"/> for the <c>local</c> device: the work directory is made, checked, copied and
/// removed in this process, so a test costs one process (its command) instead of four (mktemp, the command, the copy,
/// rm). The directory is <c>$TMPDIR/devicetest.XXXXXX</c>, mode 0700, as <c>mktemp -d</c> makes it. It makes none
/// ahead (<see cref="WorkDirectoryRequest.MakeAhead"/>) and uses none pre-made: here a directory costs no process.
/// </summary>
internal static class LocalWorkDirectories
{
    public static async Task<WorkDirectoryRun> RunAsync(WorkDirectoryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var path in request.RemoveFirst)
        {
            TryDelete(path);
        }

        string workDirectory;
        try
        {
            workDirectory = Directory.CreateTempSubdirectory("devicetest.").FullName;
            Directory.CreateDirectory(Path.Combine(workDirectory, "results"));
            Directory.CreateDirectory(Path.Combine(workDirectory, "artifacts"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new WorkDirectoryRun { Failure = $"local: cannot make a work directory in {Path.GetTempPath()}: {e.Message}" };
        }

        CommandResult result;
        try
        {
            result = await LocalProcessRunner.RunAsync(request.CommandIn(workDirectory), cancellationToken);
        }
        catch
        {
            TryDelete(workDirectory);
            throw;
        }

        var hasFiles = HasEntries(Path.Combine(workDirectory, "results")) || HasEntries(Path.Combine(workDirectory, "artifacts"));
        return new WorkDirectoryRun { Result = result, Path = workDirectory, HasFiles = hasFiles };
    }

    public static async Task FetchAndRemoveAsync(IFileTransfer files, string workDirectory, string localDirectory, CancellationToken cancellationToken)
    {
        try
        {
            await files.GetDirectoryAsync(workDirectory, localDirectory, cancellationToken);
        }
        finally
        {
            TryDelete(workDirectory);
        }
    }

    private static bool HasEntries(string directory)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(directory).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone or unreadable (the test removed or locked it): fetch, and let the copy say what is wrong.
            return Path.Exists(directory);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort, as rm -rf of a work directory always was.
        }
    }
}
