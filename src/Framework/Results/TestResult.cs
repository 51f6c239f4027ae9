namespace DeviceTest.Framework.Results;

/// <summary>One execution of one test (a repeated test has one result per iteration).</summary>
public sealed class TestResult
{
    /// <summary>Identifies the test across runs: <c>spec/stepIndex/name</c> for YAML tests, the method for C# ones.</summary>
    public required string TestId { get; init; }

    /// <summary>The spec or suite the test belongs to (JUnit's classname source).</summary>
    public required string SuiteName { get; init; }

    /// <summary>The test's name (unique in its suite), without the iteration.</summary>
    public required string Name { get; init; }

    /// <summary>1-based iteration for repeated steps; 1 otherwise.</summary>
    public int Iteration { get; init; } = 1;

    /// <summary>True when the step repeats, so names carry the iteration.</summary>
    public bool IsRepeated { get; init; }

    /// <summary>The name as shown in results: <see cref="Name"/>, or <c>Name #Iteration</c> when repeated.</summary>
    public string DisplayName => IsRepeated ? $"{Name} #{Iteration}" : Name;

    public required TestOutcome Outcome { get; init; }

    /// <summary>Why the test failed or was skipped (first line shown in summaries).</summary>
    public string? Message { get; init; }

    /// <summary>More detail for failures: the last lines of output, or an exception's text.</summary>
    public string? Details { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>The command's exit code, if it ran.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Standard output (possibly truncated).</summary>
    public string Stdout { get; init; } = string.Empty;

    /// <summary>Standard error (possibly truncated).</summary>
    public string Stderr { get; init; } = string.Empty;

    /// <summary>Source file (spec or .cs) and line, for links.</summary>
    public string? SourceFile { get; init; }

    public int? SourceLine { get; init; }

    public IReadOnlyList<SubResult> SubResults { get; init; } = [];

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Local paths of files kept for this result: console.log, artifacts, the console's log.</summary>
    public IReadOnlyList<string> Attachments { get; init; } = [];

    /// <summary>Name/value pairs shown as JUnit properties and TRX properties (spec, step, tags...).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];
}
