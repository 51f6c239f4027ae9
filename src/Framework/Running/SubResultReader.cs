using System.Globalization;
using System.Text;
using DeviceTest.Framework.Results;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Reads fiotest's sub-result protocol from a fetched <c>TEST_DIR</c>: each entry <c>&lt;epoch&gt;-&lt;name&gt;</c>
/// is a sub-result, sorted by the epoch as a number; <c>failed</c> (file or directory) makes it FAILED with
/// <c>log</c> as details, <c>skipped</c> makes it SKIPPED and wins over <c>failed</c>; <c>metrics/&lt;file&gt;</c> holds
/// one number each. Entries whose prefix is not a number are ignored (fiotest would crash on them) and reported.
/// </summary>
internal static class SubResultReader
{
    private const int MaxLogChars = 256 * 1024;

    public static IReadOnlyList<SubResult> Read(string resultsDirectory, ICollection<string> problems)
    {
        if (!Directory.Exists(resultsDirectory))
        {
            return [];
        }

        var found = new List<SubResult>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(resultsDirectory))
        {
            var fileName = Path.GetFileName(entry);
            var dash = fileName.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !double.TryParse(
                    fileName.AsSpan(0, dash), NumberStyles.Float, CultureInfo.InvariantCulture, out var timestamp))
            {
                problems.Add($"TEST_DIR entry '{fileName}' ignored: sub-results are named <epoch seconds>-<name>");
                continue;
            }

            var name = fileName[(dash + 1)..];
            var outcome = TestOutcome.Passed;
            string? details = null;
            if (Path.Exists(Path.Combine(entry, "failed")))
            {
                outcome = TestOutcome.Failed;
                details = ReadLog(Path.Combine(entry, "log"));
            }

            if (Path.Exists(Path.Combine(entry, "skipped")))
            {
                outcome = TestOutcome.Skipped;
            }

            found.Add(new SubResult
            {
                Name = name,
                Outcome = outcome,
                LocalTimestamp = timestamp,
                Details = details,
                Metrics = ReadMetrics(Path.Combine(entry, "metrics"), fileName, problems),
            });
        }

        return [.. found.OrderBy(r => r.LocalTimestamp).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }

    private static string? ReadLog(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new StreamReader(path, Encoding.UTF8);
        var buffer = new char[MaxLogChars];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        var text = new string(buffer, 0, read);
        return reader.Peek() >= 0 ? text + "\n[log truncated]" : text;
    }

    private static Dictionary<string, double> ReadMetrics(string directory, string entryName, ICollection<string> problems)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            return metrics;
        }

        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            var text = info.Length <= 1024 ? File.ReadAllText(file).Trim() : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                metrics[info.Name] = value;
            }
            else
            {
                problems.Add($"metric '{entryName}/metrics/{info.Name}' ignored: its content is not a number");
            }
        }

        return metrics;
    }
}
