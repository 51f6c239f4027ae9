namespace DeviceTest.Hardware.Screens;

/// <summary>What a wait for a reference saw when no frame matched (for <see cref="ScreenMismatchException"/>).</summary>
internal sealed class ScreenMismatch
{
    public required ScreenReference Reference { get; init; }

    public required string Source { get; init; }

    public required double Threshold { get; init; }

    public required TimeSpan Timeout { get; init; }

    public required int Frames { get; init; }

    /// <summary>The best similarity of a frame of the reference's size; -1 when no frame had that size.</summary>
    public required double BestSimilarity { get; init; }

    /// <summary>The 1-based number of the best frame.</summary>
    public required int BestFrame { get; init; }

    /// <summary>When the best frame was taken, from the start of the wait.</summary>
    public required TimeSpan BestAt { get; init; }

    public required ScreenImage LastImage { get; init; }

    public required byte[] LastFrame { get; init; }

    public required ScreenComparison LastComparison { get; init; }
}
