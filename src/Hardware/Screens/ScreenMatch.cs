namespace DeviceTest.Hardware.Screens;

/// <summary>The frame that matched a reference, and how well.</summary>
public sealed class ScreenMatch
{
    /// <summary>The matching frame, as PNG bytes.</summary>
    public required byte[] Frame { get; init; }

    public required ScreenComparison Comparison { get; init; }

    /// <summary>How many frames were captured, the matching one included.</summary>
    public required int Frames { get; init; }

    /// <summary>How long the wait took.</summary>
    public required TimeSpan Elapsed { get; init; }

    public double Similarity => Comparison.Similarity;
}
