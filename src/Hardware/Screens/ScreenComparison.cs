namespace DeviceTest.Hardware.Screens;

/// <summary>
/// How a frame compared with a <see cref="ScreenReference"/>: the similarity (the lowest of its areas'), and where
/// and how much the pixels differ, for explaining a mismatch.
/// </summary>
public sealed class ScreenComparison
{
    /// <summary>The frame's size, e.g. "720x400".</summary>
    public required string FrameSize { get; init; }

    /// <summary>False when the frame's size is not the reference's (nothing was compared; <see cref="Similarity"/> is 0).</summary>
    public required bool SizeMatches { get; init; }

    /// <summary>From 0 to 1 on openQA's scale: 1 identical, 0.9 a mean squared grey-level error of 40.</summary>
    public required double Similarity { get; init; }

    /// <summary>Each area of the reference, where it was found best and how well it matched there.</summary>
    public IReadOnlyList<AreaComparison> Areas { get; init; } = [];

    /// <summary>How many pixels were compared (the reference's areas less what the mask ignores).</summary>
    public int ComparedPixels { get; init; }

    /// <summary>How many compared pixels differ by more than <see cref="ScreenComparer.DifferenceTolerance"/> grey levels.</summary>
    public int DifferingPixels { get; init; }

    /// <summary>The smallest rectangle of the frame holding every differing pixel, or null when none differs.</summary>
    public ScreenRegion? DifferenceBox { get; init; }

    /// <summary>The largest grey-level difference of a compared pixel (0-255).</summary>
    public int LargestDifference { get; init; }

    /// <summary>Per frame pixel: 0 the same, 1 differs, 2 ignored, 3 outside every area (for the difference image).</summary>
    internal byte[] Map { get; init; } = [];

    /// <summary>True when the frame has the reference's size and every area is at least <paramref name="threshold"/> similar.</summary>
    public bool Matches(double threshold) => SizeMatches && Similarity >= threshold;
}
