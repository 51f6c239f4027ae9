namespace DeviceTest.Framework.Results;

/// <summary>What a whole run did.</summary>
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
