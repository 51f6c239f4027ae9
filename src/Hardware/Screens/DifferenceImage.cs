namespace DeviceTest.Hardware.Screens;

/// <summary>
/// Draws where a frame differs from a reference: the frame in faded grey, differing pixels in red, ignored pixels in
/// blue, pixels outside every area darkened, and the box around the differences in yellow.
/// </summary>
public static class DifferenceImage
{
    /// <summary>The picture of <paramref name="comparison"/> over <paramref name="frame"/>, as PNG bytes.</summary>
    /// <exception cref="ArgumentException">The comparison is not of this frame (its size differs).</exception>
    public static byte[] Render(ScreenImage frame, ScreenComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(comparison);
        if (comparison.Map.Length != frame.Width * frame.Height)
        {
            throw new ArgumentException("the comparison is not of this frame (a frame of another size compares nothing)", nameof(comparison));
        }

        var gray = frame.ToGray();
        var rgba = new byte[gray.Length * 4];
        for (var i = 0; i < gray.Length; i++)
        {
            var faded = (byte)(128 + (gray[i] / 4));
            (byte R, byte G, byte B) color = comparison.Map[i] switch
            {
                0 => (faded, faded, faded),
                1 => (255, 0, 0),
                2 => ((byte)(faded / 2), (byte)(faded / 2), 255),
                _ => ((byte)(faded / 3), (byte)(faded / 3), (byte)(faded / 3)),
            };
            rgba[i * 4] = color.R;
            rgba[(i * 4) + 1] = color.G;
            rgba[(i * 4) + 2] = color.B;
            rgba[(i * 4) + 3] = 255;
        }

        if (comparison.DifferenceBox is { } box)
        {
            Outline(rgba, frame.Width, frame.Height, box);
        }

        return new ScreenImage(frame.Width, frame.Height, rgba).ToPng();
    }

    /// <summary>A yellow frame one pixel outside <paramref name="box"/> (clipped to the image).</summary>
    private static void Outline(byte[] rgba, int width, int height, ScreenRegion box)
    {
        int left = box.X - 1, top = box.Y - 1, right = box.Right, bottom = box.Bottom;
        for (var x = left; x <= right; x++)
        {
            Paint(rgba, width, height, x, top);
            Paint(rgba, width, height, x, bottom);
        }

        for (var y = top; y <= bottom; y++)
        {
            Paint(rgba, width, height, left, y);
            Paint(rgba, width, height, right, y);
        }
    }

    private static void Paint(byte[] rgba, int width, int height, int x, int y)
    {
        if (x < 0 || y < 0 || x >= width || y >= height)
        {
            return;
        }

        var p = ((y * width) + x) * 4;
        (rgba[p], rgba[p + 1], rgba[p + 2]) = ((byte)255, (byte)220, (byte)0);
    }
}
