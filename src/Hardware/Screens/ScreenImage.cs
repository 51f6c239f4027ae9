using StbImageSharp;
using StbImageWriteSharp;

namespace DeviceTest.Hardware.Screens;

/// <summary>
/// A decoded image: width, height and 8-bit RGBA pixels, row by row. Reads PNG, JPEG, BMP, GIF, TGA and PPM (what
/// capture cards, snapshot URLs and QEMU's screendump give) and writes PNG.
/// </summary>
/// <remarks>
/// Decoding and encoding are StbImageSharp and StbImageWriteSharp (ports of stb_image and stb_image_write, public
/// domain / MIT): fully managed, so the native single-file <c>devicetest</c> carries them with no native library
/// beside it (docs/screen-keys-network.md says how they were chosen over SkiaSharp).
/// </remarks>
public sealed class ScreenImage
{
    /// <summary>Images larger than this many pixels (a 16K frame) are refused before they are decoded.</summary>
    public const long MaxPixels = 16384L * 16384L;

    public ScreenImage(int width, int height, byte[] rgba)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(rgba);
        if (rgba.LongLength != (long)width * height * 4)
        {
            throw new ArgumentException($"{width}x{height} RGBA needs {(long)width * height * 4} bytes, not {rgba.LongLength}", nameof(rgba));
        }

        Width = width;
        Height = height;
        Rgba = rgba;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The pixels: 4 bytes (red, green, blue, alpha) each, row by row from the top left.</summary>
    public byte[] Rgba { get; }

    /// <summary>"720x400".</summary>
    public string Size => $"{Width}x{Height}";

    /// <summary>Decodes an image file's bytes. <paramref name="what"/> names it in messages (e.g. "reference boot.png").</summary>
    /// <exception cref="ScreenException">The bytes are not an image of a known format, or it is too large.</exception>
    public static ScreenImage Decode(byte[] data, string what)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(what);
        var (width, height) = ReadSize(data, what);
        if ((long)width * height > MaxPixels)
        {
            throw new ScreenException($"{what} is {width}x{height}, larger than DeviceTest reads ({MaxPixels} pixels)");
        }

        try
        {
            var result = ImageResult.FromMemory(data, StbImageSharp.ColorComponents.RedGreenBlueAlpha);
            return new ScreenImage(result.Width, result.Height, result.Data);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException)
        {
            // stb reports a broken file with InvalidOperationException; a truncated one can fail anywhere in the decoder.
            throw new ScreenException($"{what} could not be decoded: {e.Message}", e);
        }
    }

    /// <summary>Reads and decodes an image file.</summary>
    /// <exception cref="ScreenException">The file cannot be read or is not an image.</exception>
    public static async Task<ScreenImage> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] data;
        try
        {
            data = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScreenException($"cannot read {path}: {e.Message}", e);
        }

        return Decode(data, path);
    }

    /// <summary>The width and height an image file's header declares, without decoding it.</summary>
    /// <exception cref="ScreenException">The bytes are not an image of a known format.</exception>
    public static (int Width, int Height) ReadSize(byte[] data, string what)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream(data, writable: false);
        ImageInfo? info;
        try
        {
            info = ImageInfo.FromStream(stream);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or EndOfStreamException)
        {
            info = null;
        }

        if (info is not { Width: > 0, Height: > 0 } found)
        {
            var start = data.Length == 0 ? "it is empty" : $"it starts with {Convert.ToHexString(data.AsSpan(0, Math.Min(8, data.Length)))}";
            throw new ScreenException($"{what} is not an image DeviceTest reads (PNG, JPEG, BMP, GIF, TGA or PPM): {start}");
        }

        return (found.Width, found.Height);
    }

    /// <summary>The image as PNG bytes.</summary>
    public byte[] ToPng()
    {
        using var stream = new MemoryStream();
        new ImageWriter().WritePng(Rgba, Width, Height, StbImageWriteSharp.ColorComponents.RedGreenBlueAlpha, stream);
        return stream.ToArray();
    }

    /// <summary>The grey level (0-255, ITU-R BT.601 weights) of every pixel, row by row.</summary>
    public byte[] ToGray()
    {
        var gray = new byte[Width * Height];
        for (int i = 0, p = 0; i < gray.Length; i++, p += 4)
        {
            gray[i] = (byte)(((299 * Rgba[p]) + (587 * Rgba[p + 1]) + (114 * Rgba[p + 2]) + 500) / 1000);
        }

        return gray;
    }
}
