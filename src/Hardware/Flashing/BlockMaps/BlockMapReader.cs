using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DeviceTest.Hardware.Flashing.BlockMaps;

/// <summary>
/// Reads a <c>.bmap</c> file with the rules of bmaptool's BmapCopy: format versions up to 2.x; SHA-1 checksums
/// (attribute <c>sha1</c>, <c>BmapFileSHA1</c>) in 1.3; <c>ChecksumType</c>, <c>chksum</c> and <c>BmapFileChecksum</c>
/// in 1.4 and 2.x (1.4 is 2.0 released under the wrong number); no checksums before 1.3. The file's own checksum is
/// checked as bmaptool does: over the file with the checksum's text replaced by zeros. Ranges must lie inside the
/// image, in order, and add up to <c>MappedBlocksCount</c>, so that a map that does not fit is refused before writing.
/// </summary>
public static class BlockMapReader
{
    private const long MaxFileSize = 64L * 1024 * 1024;

    /// <exception cref="FlashException">The map cannot be read or is not a valid block map (<see cref="FlashFailure.BadImage"/>).</exception>
    public static async Task<BlockMap> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > MaxFileSize)
            {
                throw Bad(path, 0, $"is larger than {MaxFileSize / (1024 * 1024)} MiB; it is not a block map");
            }

            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FlashException(FlashFailure.BadImage, FlashStage.Image, $"block map {path} cannot be read: {e.Message}", e);
        }

        return Parse(path, bytes);
    }

    /// <summary>Parses a block map's bytes; <paramref name="path"/> names it in messages.</summary>
    public static BlockMap Parse(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var root = BlockMapXml.Parse(path, bytes);
        if (root.Name != "bmap")
        {
            throw Bad(path, root.Line, $"is not a bmaptool block map (its root element is <{root.Name}>, not <bmap>)");
        }

        var version = root.Attribute("version")?.Trim() ?? throw Bad(path, Line(root), "<bmap> has no version attribute");
        var parts = version.Split('.');
        if (parts.Length < 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            throw Bad(path, Line(root), $"has a version `{version}` that is not MAJOR.MINOR");
        }

        if (major > 2)
        {
            throw Bad(path, Line(root), $"is format version {version}; DeviceTest (like bmaptool 3.6) reads versions up to 2.x");
        }

        var imageSize = Number(path, root, "ImageSize");
        var blockSize = Number(path, root, "BlockSize");
        var blocksCount = Number(path, root, "BlocksCount");
        var mappedCount = Number(path, root, "MappedBlocksCount");
        if (blockSize is <= 0 or > int.MaxValue)
        {
            throw Bad(path, Line(root.Element("BlockSize")!), $"has a block size of {blockSize}");
        }

        if (blocksCount != (imageSize + blockSize - 1) / blockSize)
        {
            throw Bad(path, Line(root.Element("BlocksCount")!),
                $"is inconsistent: an image of {imageSize} bytes has {(imageSize + blockSize - 1) / blockSize} blocks of {blockSize} bytes, not {blocksCount}");
        }

        var (checksumType, attribute, fileChecksumElement) = major > 1 || minor >= 4
            ? (Text(path, root, "ChecksumType").ToLowerInvariant(), "chksum", "BmapFileChecksum")
            : minor == 3 ? ("sha1", "sha1", "BmapFileSHA1") : ((string?)null, (string?)null, (string?)null);
        if (checksumType is not null)
        {
            CheckFileChecksum(path, bytes, checksumType, Text(path, root, fileChecksumElement!), Line(root.Element(fileChecksumElement!)!));
        }

        var ranges = ReadRanges(path, root, attribute, blocksCount);
        var mapped = ranges.Sum(r => r.Last - r.First + 1);
        if (mapped != mappedCount)
        {
            throw Bad(path, Line(root.Element("MappedBlocksCount")!),
                $"does not add up: its ranges map {mapped} blocks, MappedBlocksCount says {mappedCount}");
        }

        return new BlockMap
        {
            Path = path,
            Version = version,
            ImageSize = imageSize,
            BlockSize = (int)blockSize,
            BlocksCount = blocksCount,
            MappedBlocksCount = mappedCount,
            ChecksumType = checksumType,
            Ranges = ranges,
        };
    }

    /// <summary>A new hash for <paramref name="checksumType"/> (<c>sha256</c>, <c>sha1</c>, <c>sha384</c>, <c>sha512</c>).</summary>
    /// <exception cref="FlashException">A checksum type DeviceTest does not know.</exception>
    public static IncrementalHash CreateHash(string checksumType, string path)
    {
        ArgumentNullException.ThrowIfNull(checksumType);
        return checksumType switch
        {
            "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
#pragma warning disable CA5350 // bmap format 1.3 names SHA-1; it checks integrity, not authenticity.
            "sha1" => IncrementalHash.CreateHash(HashAlgorithmName.SHA1),
#pragma warning restore CA5350
            "sha384" => IncrementalHash.CreateHash(HashAlgorithmName.SHA384),
            "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
            _ => throw Bad(path, 0, $"uses checksum type `{checksumType}`; DeviceTest knows sha256, sha1, sha384 and sha512"),
        };
    }

    private static List<BlockRange> ReadRanges(string path, BlockMapElement root, string? attribute, long blocksCount)
    {
        var map = root.Element("BlockMap") ?? throw Bad(path, Line(root), "has no <BlockMap>");
        var ranges = new List<BlockRange>();
        long next = 0;
        foreach (var element in map.Elements("Range"))
        {
            var line = Line(element);
            var text = element.Value.Trim();
            var split = text.Split('-', 2);
            if (!long.TryParse(split[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || (split.Length == 2 && !long.TryParse(split[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw Bad(path, line, $"has a range `{text}` that is not FIRST-LAST or a block number");
            }

            var last = split.Length == 2 ? long.Parse(split[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture) : first;
            if (first > last)
            {
                throw Bad(path, line, $"has a bad range `{text}` (first > last)");
            }

            if (first < next)
            {
                throw Bad(path, line, $"has range `{text}` out of order or overlapping the one before");
            }

            if (last >= blocksCount)
            {
                throw Bad(path, line, $"has range `{text}` beyond the image's {blocksCount} blocks");
            }

            var checksum = attribute is null ? null : element.Attribute(attribute)?.Trim().ToLowerInvariant();
            ranges.Add(new BlockRange(first, last, checksum, line));
            next = last + 1;
        }

        return ranges;
    }

    private static void CheckFileChecksum(string path, byte[] bytes, string checksumType, string expected, int line)
    {
        // As bmaptool: the first occurrence of the checksum's text is replaced by as many '0's, then the file is hashed.
        var copy = (byte[])bytes.Clone();
        var needle = Encoding.ASCII.GetBytes(expected);
        var at = copy.AsSpan().IndexOf(needle);
        if (at >= 0)
        {
            copy.AsSpan(at, needle.Length).Fill((byte)'0');
        }

        using var hash = CreateHash(checksumType, path);
        hash.AppendData(copy);
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!string.Equals(actual, expected.ToLowerInvariant(), StringComparison.Ordinal))
        {
            throw Bad(path, line, $"is damaged: its own {checksumType} checksum is {expected} but the file hashes to {actual}");
        }
    }

    private static long Number(string path, BlockMapElement root, string name)
    {
        var text = Text(path, root, name);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(path, Line(root.Element(name)!), $"<{name}> `{text}` is not a whole number");
    }

    private static string Text(string path, BlockMapElement root, string name) =>
        root.Element(name)?.Value.Trim() is { Length: > 0 } text ? text : throw Bad(path, Line(root), $"has no <{name}>");

    private static int Line(BlockMapElement element) => element.Line;

    private static FlashException Bad(string path, int line, string what) => new(
        FlashFailure.BadImage,
        FlashStage.Image,
        $"block map {path}{(line > 0 ? ":" + line.ToString(CultureInfo.InvariantCulture) : string.Empty)} {what}");
}
