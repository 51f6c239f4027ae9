using DeviceTest.Framework.Results;
using TestResult = DeviceTest.Framework.Results.TestResult;

namespace DeviceTest.Framework.Tests.Results;

/// <summary>A temporary folder for result files, and results to write into them.</summary>
internal sealed class ResultFixture : IDisposable
{
    public static readonly DateTimeOffset RunStart = new(2025, 3, 14, 9, 26, 53, TimeSpan.FromHours(1));

    public ResultFixture()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "devicetest-results-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => System.IO.Path.Combine(Directory, name);

    /// <summary>A file that exists, for attachments.</summary>
    public string File(string relative, string content)
    {
        var path = PathOf(relative);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Everything in the folder, relative, sorted (to show what a writer left behind).</summary>
    public string[] Listing() =>
        [.. System.IO.Directory.EnumerateFileSystemEntries(Directory, "*", SearchOption.AllDirectories)
            .Select(p => System.IO.Path.GetRelativePath(Directory, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    public static TestResult Result(
        string suite,
        string name,
        TestOutcome outcome = TestOutcome.Passed,
        int iteration = 1,
        bool repeated = false,
        double seconds = 1.5,
        string? message = null,
        string? details = null,
        string stdout = "",
        string stderr = "",
        int? exitCode = null,
        IReadOnlyList<string>? attachments = null,
        IReadOnlyList<SubResult>? subResults = null,
        IReadOnlyDictionary<string, double>? metrics = null,
        IReadOnlyList<KeyValuePair<string, string>>? properties = null,
        string? sourceFile = null,
        int? sourceLine = null,
        int offsetSeconds = 0) => new()
        {
            TestId = $"{suite}/0/{name}",
            SuiteName = suite,
            Name = name,
            Iteration = iteration,
            IsRepeated = repeated,
            Outcome = outcome,
            Message = message,
            Details = details,
            StartTime = RunStart.AddSeconds(offsetSeconds),
            Duration = TimeSpan.FromSeconds(seconds),
            ExitCode = exitCode,
            Stdout = stdout,
            Stderr = stderr,
            Attachments = attachments ?? [],
            SubResults = subResults ?? [],
            Metrics = metrics ?? new Dictionary<string, double>(),
            Properties = properties ?? [],
            SourceFile = sourceFile,
            SourceLine = sourceLine,
        };

    public static RunSummary Summary(int passed, int failed, int skipped, bool cancelled = false) => new()
    {
        RunName = "nightly",
        DeviceName = "qemu-x86",
        StartTime = RunStart,
        EndTime = RunStart.AddSeconds(42.25),
        Passed = passed,
        Failed = failed,
        Skipped = skipped,
        Cancelled = cancelled,
    };

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
