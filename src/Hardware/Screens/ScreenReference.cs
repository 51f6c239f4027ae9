using System.Globalization;

namespace DeviceTest.Hardware.Screens;

/// <summary>
/// A reference image ready to be matched: its grey levels (blurred as openQA does, so that a pixel's worth of
/// anti-aliasing does not count), which pixels count (<see cref="ScreenMask"/>), the areas that must match and their
/// search margin. Load it once and <see cref="Compare"/> every frame.
/// </summary>
public sealed class ScreenReference
{
    private ScreenReference(string name, ScreenImage image, byte[] weights, IReadOnlyList<ScreenRegion> areas, int margin)
    {
        Name = name;
        Image = image;
        Gray = ScreenComparer.Blur(image.ToGray(), image.Width, image.Height);
        Weights = weights;
        Areas = areas;
        Margin = margin;
        ComparedPixels = weights.Count(w => w != 0);
    }

    /// <summary>The reference's file name, for messages.</summary>
    public string Name { get; }

    public ScreenImage Image { get; }

    public int Width => Image.Width;

    public int Height => Image.Height;

    /// <summary>The areas compared: the mask's areas, or the whole image.</summary>
    public IReadOnlyList<ScreenRegion> Areas { get; }

    public int Margin { get; }

    /// <summary>How many pixels of the reference are compared (the rest are ignored).</summary>
    public int ComparedPixels { get; }

    internal byte[] Gray { get; }

    /// <summary>1 for a pixel that is compared, 0 for an ignored one.</summary>
    internal byte[] Weights { get; }

    /// <summary>Loads <paramref name="path"/> and the mask's image, and checks that the mask fits the reference.</summary>
    /// <exception cref="ScreenException">A file cannot be read or decoded, or the mask does not fit (what and where are in the message).</exception>
    public static async Task<ScreenReference> LoadAsync(string path, ScreenMask? mask, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var image = await ScreenImage.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        var maskImage = mask?.Image is { } maskPath ? await ScreenImage.LoadAsync(maskPath, cancellationToken).ConfigureAwait(false) : null;
        return Create(Path.GetFileName(path), image, maskImage, mask);
    }

    /// <summary>A reference from images in memory (<paramref name="mask"/>'s <see cref="ScreenMask.Image"/> is not read: pass <paramref name="maskImage"/>).</summary>
    /// <exception cref="ScreenException">The mask does not fit the reference.</exception>
    public static ScreenReference Create(string name, ScreenImage image, ScreenImage? maskImage, ScreenMask? mask)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(image);
        if (maskImage is not null && (maskImage.Width != image.Width || maskImage.Height != image.Height))
        {
            throw new ScreenException(
                $"the mask {mask?.Image ?? "image"} is {maskImage.Size} but the reference {name} is {image.Size}; a mask must have the reference's size");
        }

        var margin = mask?.Margin ?? 0;
        if (margin < 0)
        {
            throw new ScreenException($"the search margin must not be negative, not {margin.ToString(CultureInfo.InvariantCulture)}");
        }

        foreach (var region in (mask?.Ignore ?? []).Concat(mask?.Areas ?? []))
        {
            if (!region.FitsIn(image.Width, image.Height))
            {
                throw new ScreenException($"the region {region} is not within the reference {name} ({image.Size})");
            }
        }

        var weights = new byte[image.Width * image.Height];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = maskImage is null || IsCompared(maskImage.Rgba, i * 4) ? (byte)1 : (byte)0;
        }

        foreach (var region in mask?.Ignore ?? [])
        {
            for (var y = region.Y; y < region.Bottom; y++)
            {
                Array.Clear(weights, (y * image.Width) + region.X, region.Width);
            }
        }

        IReadOnlyList<ScreenRegion> areas = mask?.Areas is { Count: > 0 } given ? given : [new ScreenRegion(0, 0, image.Width, image.Height)];
        return new ScreenReference(name, image, weights, areas, mask?.Areas is { Count: > 0 } ? margin : 0);
    }

    /// <summary>Compares one frame with this reference.</summary>
    public ScreenComparison Compare(ScreenImage frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return ScreenComparer.Compare(this, frame);
    }

    /// <summary>A mask pixel is ignored when it is transparent or dark (grey level below half).</summary>
    private static bool IsCompared(byte[] rgba, int p) =>
        rgba[p + 3] >= 128 && ((299 * rgba[p]) + (587 * rgba[p + 1]) + (114 * rgba[p + 2])) >= 128 * 1000;
}
