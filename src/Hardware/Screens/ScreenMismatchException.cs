using System.Globalization;
using System.Text;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Screens;

/// <summary>
/// No frame matched a reference in time. The message says by how much and where: the best similarity seen (and
/// when), the threshold, and for the last frame the share of pixels that differ, the box they lie in and each area's
/// best place. <see cref="SaveEvidence"/> writes the last frame and a picture of the differences for attaching.
/// </summary>
public sealed class ScreenMismatchException : Exception
{
    public ScreenMismatchException()
    {
    }

    public ScreenMismatchException(string message)
        : base(message)
    {
    }

    public ScreenMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ScreenMismatchException(ScreenMismatch mismatch)
        : base(Explain(mismatch))
    {
        Reference = mismatch.Reference.Name;
        Threshold = mismatch.Threshold;
        BestSimilarity = Math.Max(0, mismatch.BestSimilarity);
        Frames = mismatch.Frames;
        LastComparison = mismatch.LastComparison;
        LastFrame = mismatch.LastFrame;
        Difference = mismatch.LastComparison.SizeMatches ? DifferenceImage.Render(mismatch.LastImage, mismatch.LastComparison) : null;
    }

    /// <summary>The reference's file name.</summary>
    public string Reference { get; } = string.Empty;

    public double Threshold { get; }

    /// <summary>The best similarity of any frame (0 when no frame had the reference's size).</summary>
    public double BestSimilarity { get; }

    /// <summary>How many frames were compared.</summary>
    public int Frames { get; }

    /// <summary>The last frame's comparison, or null for an exception made without one.</summary>
    public ScreenComparison? LastComparison { get; }

    /// <summary>The last frame, PNG bytes (empty for an exception made without one).</summary>
    public byte[] LastFrame { get; } = [];

    /// <summary>The picture of the last frame's differences (PNG), or null when its size was not the reference's.</summary>
    public byte[]? Difference { get; }

    /// <summary>
    /// Writes <c>&lt;prefix&gt;last.png</c> (the last frame) and <c>&lt;prefix&gt;difference.png</c> into
    /// <paramref name="folder"/>, which is created.
    /// </summary>
    /// <returns>The paths written, to attach to the result.</returns>
    public IReadOnlyList<string> SaveEvidence(string folder, string prefix = "screen-")
    {
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        if (LastFrame.Length > 0)
        {
            written.Add(Write(folder, prefix + "last.png", LastFrame));
        }

        if (Difference is not null)
        {
            written.Add(Write(folder, prefix + "difference.png", Difference));
        }

        return written;
    }

    private static string Write(string folder, string name, byte[] data)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    private static string Explain(ScreenMismatch m)
    {
        var c = m.LastComparison;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"the screen did not match {m.Reference.Name} within {DurationText.Format(m.Timeout)} ({m.Frames} frame{(m.Frames == 1 ? string.Empty : "s")} from {m.Source}): ");
        if (m.BestSimilarity < 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"every frame was {c.FrameSize}, but the reference is {m.Reference.Image.Size}; make the reference from this screen (devicetest screenshot)");
            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"best similarity {m.BestSimilarity:0.000} (frame {m.BestFrame}, after {DurationText.Format(m.BestAt)}), threshold {m.Threshold:0.000}.");
        if (!c.SizeMatches)
        {
            text.Append(CultureInfo.InvariantCulture, $" The last frame was {c.FrameSize}, the reference is {m.Reference.Image.Size}.");
            return text.ToString();
        }

        var share = c.ComparedPixels == 0 ? 0 : 100.0 * c.DifferingPixels / c.ComparedPixels;
        text.Append(CultureInfo.InvariantCulture, $" Last frame: similarity {c.Similarity:0.000}; {c.DifferingPixels} of {c.ComparedPixels} compared pixels ({share:0.0}%) differ by more than {ScreenComparer.DifferenceTolerance} grey levels");
        text.Append(c.DifferenceBox is { } box ? $", all within {box}" : string.Empty);
        text.Append(CultureInfo.InvariantCulture, $"; the largest difference is {c.LargestDifference} of 255.");
        if (c.Areas.Count > 1 || m.Reference.Margin > 0)
        {
            foreach (var (area, index) in c.Areas.Select((a, i) => (a, i + 1)))
            {
                text.Append(CultureInfo.InvariantCulture, $" Area {index} ({area.Region}): similarity {area.Similarity:0.000}, best {FormatOffset(area)}.");
            }
        }

        return text.ToString();
    }

    private static string FormatOffset(AreaComparison area) =>
        area.OffsetX == 0 && area.OffsetY == 0
            ? "in place"
            : string.Create(CultureInfo.InvariantCulture, $"moved by {area.OffsetX:+0;-0},{area.OffsetY:+0;-0}");
}
