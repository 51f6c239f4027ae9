namespace DeviceTest.Framework.Results;

/// <summary>
/// What a run did: one work item's (a spec: <see cref="Running.IWorkItem.RunAsync"/>; its name is the spec's), or a
/// whole <c>devicetest run</c>'s for the result files (<see cref="IResultSink.CompleteAsync"/>).
/// </summary>
public sealed class RunSummary
{
    public required string RunName { get; init; }

    public required string DeviceName { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required DateTimeOffset EndTime { get; init; }

    public int Passed { get; init; }

    public int Failed { get; init; }

    public int Skipped { get; init; }

    public int Total => Passed + Failed + Skipped;

    /// <summary>True when the run was stopped (Ctrl+C) before it ended.</summary>
    public bool Cancelled { get; init; }
}
