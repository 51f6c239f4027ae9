namespace DeviceTest.Hardware.Flashing.Images;

/// <summary>Tells an image's compression from its first bytes, and refuses formats that are not disk images to write as they are.</summary>
internal static class ImageMagic
{
    private static readonly (byte[] Magic, string Name, string Hint)[] Refused =
    [
        ([0x51, 0x46, 0x49, 0xFB], "a qcow2 disk image", "convert it with `qemu-img convert -O raw`"),
        ([0x50, 0x4B, 0x03, 0x04], "a zip archive", "unpack the image from it"),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "a 7z archive", "unpack the image from it"),
        ([0x04, 0x22, 0x4D, 0x18], "lz4-compressed", "decompress it with `lz4 -d`, or recompress it with xz or zstd"),
        ([0x89, 0x4C, 0x5A, 0x4F], "lzop-compressed", "decompress it with `lzop -d`, or recompress it with xz or zstd"),
        ([0x5D, 0x00, 0x00], "an lzma (not xz) stream", "recompress it with xz"),
    ];

    /// <exception cref="FlashException">A format DeviceTest does not write (qcow2, zip, lz4...).</exception>
    public static ImageCompression Detect(ReadOnlySpan<byte> head, string path)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            return ImageCompression.Gzip;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        {
            return ImageCompression.Xz;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return ImageCompression.Zstd;
        }

        if (head.Length >= 4 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] is >= (byte)'1' and <= (byte)'9')
        {
            return ImageCompression.Bzip2;
        }

        foreach (var (magic, name, hint) in Refused)
        {
            if (head.StartsWith(magic))
            {
                throw new FlashException(FlashFailure.BadImage, FlashStage.Image,
                    $"image {path} is {name}, not a raw or gz/xz/zst/bz2-compressed disk image: {hint}");
            }
        }

        return ImageCompression.None;
    }
}
