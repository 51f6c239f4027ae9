using DeviceTest.Framework.Results;

namespace DeviceTest.Framework.Running;

/// <summary>
/// A result a step reports like a test (<see cref="StepContext.ReportAsync"/>), e.g. a <c>screen</c> step whose
/// frame did not match: its <c>TestId</c> is <c>spec/stepIndex/Name</c>, its source the step's line.
/// </summary>
public sealed class StepReport
{
    /// <summary>The result's name, unique within the step (e.g. "screen splash.png").</summary>
    public required string Name { get; init; }

    public required TestOutcome Outcome { get; init; }

    /// <summary>Why it failed or was skipped, in one line.</summary>
    public string? Message { get; init; }

    public string? Details { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Local files to attach (e.g. the last frame), kept at least until the observers have seen the result;
    /// <see cref="StepContext.ResultsFolder"/> is the place for files the step makes.</summary>
    public IReadOnlyList<string> Attachments { get; init; } = [];
}
