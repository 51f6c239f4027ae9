namespace DeviceTest.Agent.Cli;

/// <summary>
/// Checks <c>--junit</c>, <c>--trx</c> and <c>--results</c> before a run starts, so that a long run does not end
/// with results that cannot be written. Creates the folders they need.
/// </summary>
internal static class OutputPaths
{
    public static async Task<bool> CheckAsync(RunRequest request, TextWriter error)
    {
        var problems = new List<string>();
        if (request.JUnitPath is { } junit)
        {
            CheckFile("--junit", junit, problems);
        }

        if (request.TrxPath is { } trx)
        {
            CheckFile("--trx", trx, problems);
        }

        if (request.JUnitPath is { } j && request.TrxPath is { } t && SamePath(j, t))
        {
            problems.Add($"--junit and --trx name the same file '{j}'; give each its own file");
        }

        if (request.ResultsDirectory is { } results)
        {
            CheckFolder("--results", results, problems);
        }

        foreach (var problem in problems)
        {
            await error.WriteLineAsync($"devicetest: {problem}");
        }

        return problems.Count == 0;
    }

    private static void CheckFile(string option, string path, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Add($"{option} needs a file name");
            return;
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            problems.Add($"{option} '{path}' is a folder; name the file to write, e.g. {Path.Combine(path, option == "--trx" ? "results.trx" : "junit.xml")}");
            return;
        }

        var folder = Path.GetDirectoryName(full) ?? Directory.GetCurrentDirectory();
        if (TryMakeWritableFolder(folder) is { } why)
        {
            problems.Add($"{option} '{path}': cannot write in {folder}: {why}");
        }
    }

    private static void CheckFolder(string option, string path, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Add($"{option} needs a folder name");
            return;
        }

        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            problems.Add($"{option} '{path}' is a file; name a folder (it is created if missing)");
            return;
        }

        if (TryMakeWritableFolder(full) is { } why)
        {
            problems.Add($"{option} '{path}': cannot write there: {why}");
        }
    }

    /// <summary>Creates the folder and writes a probe file in it; the reason on failure, else null.</summary>
    private static string? TryMakeWritableFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".devicetest-probe-{Environment.ProcessId}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return $"{e.Message} (check that the folder is writable)";
        }
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
