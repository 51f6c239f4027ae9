namespace DeviceTest.Hardware.Screens;

/// <summary>How one area of a reference compared with a frame at the place it was found best.</summary>
/// <param name="Region">The area in the reference.</param>
/// <param name="OffsetX">How far right of its place in the reference it was found (within the margin).</param>
/// <param name="OffsetY">How far below its place in the reference it was found.</param>
/// <param name="MeanSquaredError">The mean squared difference of grey levels (0-65025) of the compared pixels there.</param>
/// <param name="Similarity">openQA's similarity for that error: 1 identical, 0.96 the usual threshold.</param>
public sealed record AreaComparison(ScreenRegion Region, int OffsetX, int OffsetY, double MeanSquaredError, double Similarity);
