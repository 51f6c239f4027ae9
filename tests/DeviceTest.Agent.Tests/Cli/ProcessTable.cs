namespace DeviceTest.Agent.Tests.Cli;

/// <summary>Looks for processes by command line (orphan checks).</summary>
internal static class ProcessTable
{
    /// <summary>Command lines (arguments joined by spaces) of every process whose command line contains <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> Find(string text)
    {
        var found = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out _))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ').Trim();
                if (commandLine.Contains(text, StringComparison.Ordinal))
                {
                    found.Add($"{Path.GetFileName(folder)}: {commandLine}");
                }
            }
            catch (IOException)
            {
                // Ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Fails unless no process matches within a few seconds (a killed group may take a moment to go).</summary>
    public static async Task AssertNoneAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        IReadOnlyList<string> left;
        while ((left = Find(text)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.IsEmpty(left, $"processes left behind:\n{string.Join('\n', left)}");
    }
}
