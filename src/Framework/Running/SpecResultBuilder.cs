using System.Globalization;
using DeviceTest.Framework.Results;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>
/// The fields of a spec's result, filled in as a test or step goes (with <c>with</c>), then turned into the
/// <see cref="TestResult"/> and its properties (spec, step, device, tags, sub-result counts) and metrics.
/// </summary>
internal sealed record SpecResultBuilder(TestSpec Spec, string DeviceName)
{
    public required int StepIndex { get; init; }

    /// <summary>The test's unique name, or the name a step reports under.</summary>
    public required string Name { get; init; }

    /// <summary>Where the test or step stands in the spec.</summary>
    public required SourcePosition Source { get; init; }

    public int Iteration { get; init; } = 1;

    public bool IsRepeated { get; init; }

    public TestOutcome Outcome { get; init; }

    public string? Message { get; init; }

    public string? Details { get; init; }

    public DateTimeOffset StartTime { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>The test's command, when it ran to the end (exit code, output).</summary>
    public CommandResult? Command { get; init; }

    public IReadOnlyList<SubResult> SubResults { get; init; } = [];

    public IReadOnlyList<string> Attachments { get; init; } = [];

    /// <summary>What observers hear when the test starts.</summary>
    public TestStarted Started() => new()
    {
        TestId = Spec.ResultId(StepIndex, Name),
        SuiteName = Spec.Name,
        Name = Name,
        Iteration = Iteration,
        IsRepeated = IsRepeated,
        StartTime = StartTime,
    };

    public TestResult Build()
    {
        var stdout = Command?.Stdout ?? string.Empty;
        if (Command is { OutputTruncated: true })
        {
            stdout += $"\n[output cut at {SpecRunner.MaxCapturedBytes / 1024} KiB per stream; console.log has all of it]";
        }

        return new TestResult
        {
            TestId = Spec.ResultId(StepIndex, Name),
            SuiteName = Spec.Name,
            Name = Name,
            Iteration = Iteration,
            IsRepeated = IsRepeated,
            Outcome = Outcome,
            Message = Message,
            Details = Details,
            StartTime = StartTime,
            Duration = Duration,
            ExitCode = Command is { TimedOut: false } ? Command.ExitCode : null,
            Stdout = stdout,
            Stderr = Command?.Stderr ?? string.Empty,
            SourceFile = Source.File,
            SourceLine = Source.Line,
            SubResults = SubResults,
            Metrics = Metrics(),
            Attachments = Attachments,
            Properties = Properties(),
        };
    }

    private List<KeyValuePair<string, string>> Properties()
    {
        var properties = new List<KeyValuePair<string, string>>
        {
            new("spec", Spec.Name),
            new("step", (StepIndex + 1).ToString(CultureInfo.InvariantCulture)),
            new("device", DeviceName),
        };
        if (Spec.RequiredTags.Count > 0)
        {
            properties.Add(new("tags", string.Join(",", Spec.RequiredTags)));
        }

        if (SubResults.Count > 0)
        {
            properties.Add(new("subresults.passed", Count(TestOutcome.Passed)));
            properties.Add(new("subresults.failed", Count(TestOutcome.Failed)));
            properties.Add(new("subresults.skipped", Count(TestOutcome.Skipped)));
        }

        return properties;
    }

    private string Count(TestOutcome outcome) =>
        SubResults.Count(r => r.Outcome == outcome).ToString(CultureInfo.InvariantCulture);

    private Dictionary<string, double> Metrics()
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var sub in SubResults)
        {
            foreach (var (name, value) in sub.Metrics)
            {
                metrics[$"{sub.Name}.{name}"] = value;
            }
        }

        return metrics;
    }
}
