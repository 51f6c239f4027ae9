namespace DeviceTest.Hardware.Flashing.Images;

/// <summary>How an image file is compressed, told by its first bytes (the extension only names what was expected).</summary>
public enum ImageCompression
{
    None,
    Gzip,
    Xz,
    Zstd,
    Bzip2,
}
