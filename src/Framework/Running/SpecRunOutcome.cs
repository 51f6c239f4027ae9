namespace DeviceTest.Framework.Running;

/// <summary>What <see cref="SpecRunner.RunAsync"/> did: result counts, and whether Ctrl+C stopped it.</summary>
public sealed class SpecRunOutcome
{
    public required string SpecName { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required DateTimeOffset EndTime { get; init; }

    public int Passed { get; init; }

    public int Failed { get; init; }

    public int Skipped { get; init; }

    public int Total => Passed + Failed + Skipped;

    /// <summary>True when the run was cancelled; the counts cover the tests reported before that.</summary>
    public bool Cancelled { get; init; }
}
