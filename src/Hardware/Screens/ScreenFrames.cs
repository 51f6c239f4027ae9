namespace DeviceTest.Hardware.Screens;

/// <summary>Frames as the screens hand them out: PNG, whatever format the capture gave.</summary>
internal static class ScreenFrames
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary><paramref name="data"/> as it is when it is a PNG, else decoded (JPEG, BMP, PPM...) and encoded as PNG.</summary>
    /// <exception cref="ScreenException">The data is not an image (<paramref name="what"/> names it).</exception>
    public static byte[] ToPng(byte[] data, string what)
    {
        if (data.AsSpan().StartsWith(PngSignature))
        {
            ScreenImage.ReadSize(data, what);
            return data;
        }

        return ScreenImage.Decode(data, what).ToPng();
    }
}
