namespace DeviceTest.Hardware.Flashing.Writers;

/// <summary>A piece of the image written in one go: a block map range (with its checksum), or a 64 MiB stretch of a raw write.</summary>
internal sealed class ImageSegment(long offset, long length, string? expected, string what)
{
    public long Offset { get; } = offset;

    /// <summary>Bytes; for the open-ended last stretch of an image of unknown size, what was read.</summary>
    public long Length { get; set; } = length;

    /// <summary>The block map's checksum of the range (hex), or null.</summary>
    public string? Expected { get; } = expected;

    /// <summary>For messages: "blocks 120-355 (map line 14)", "bytes 0-67108863".</summary>
    public string What { get; } = what;

    /// <summary>The hash of what was written, for the read-back.</summary>
    public byte[]? Written { get; set; }
}
