namespace DeviceTest.Hardware.Flashing.BlockMaps;

/// <summary>
/// bmaptool's block map (<c>.bmap</c>, format versions 1.0 to 2.x): which blocks of an image hold data. Only those are
/// written, and each range's checksum is checked as bmaptool does (SHA-1 in format 1.3; the named
/// <c>ChecksumType</c>, usually SHA-256, from 1.4/2.0; none before 1.3).
/// </summary>
public sealed class BlockMap
{
    public required string Path { get; init; }

    /// <summary>The format version as written (<c>2.0</c>).</summary>
    public required string Version { get; init; }

    public required long ImageSize { get; init; }

    public required int BlockSize { get; init; }

    public required long BlocksCount { get; init; }

    public required long MappedBlocksCount { get; init; }

    /// <summary><c>sha256</c>, <c>sha1</c>, or null when the map has no checksums.</summary>
    public string? ChecksumType { get; init; }

    /// <summary>The mapped ranges, in order.</summary>
    public required IReadOnlyList<BlockRange> Ranges { get; init; }

    /// <summary>Bytes the mapped ranges cover (the last block may end at the image's end).</summary>
    public long MappedBytes => Ranges.Sum(r => ByteLength(r));

    /// <summary>Where <paramref name="range"/> starts in the image.</summary>
    public long ByteOffset(BlockRange range) => (range?.First ?? 0) * BlockSize;

    /// <summary>How many bytes of the image <paramref name="range"/> covers.</summary>
    public long ByteLength(BlockRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        return Math.Min((range.Last + 1) * BlockSize, ImageSize) - (range.First * BlockSize);
    }
}
