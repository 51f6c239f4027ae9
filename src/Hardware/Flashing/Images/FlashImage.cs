using DeviceTest.Hardware.Flashing.BlockMaps;

namespace DeviceTest.Hardware.Flashing.Images;

/// <summary>
/// An image file as users have it: raw (<c>.img</c>, <c>.wic</c>, <c>.sdcard</c>...) or compressed (<c>.gz</c>,
/// <c>.xz</c>, <c>.zst</c>, <c>.bz2</c>, told by the file's magic bytes), with bmaptool's block map when one lies
/// beside it (<c>x.wic.bmap</c> next to <c>x.wic.xz</c>, or <c>x.wic.xz.bmap</c>).
/// </summary>
public sealed class FlashImage
{
    private static readonly (string Extension, ImageCompression Compression)[] Extensions =
    [
        (".gz", ImageCompression.Gzip), (".xz", ImageCompression.Xz), (".zst", ImageCompression.Zstd),
        (".zstd", ImageCompression.Zstd), (".bz2", ImageCompression.Bzip2),
    ];

    private FlashImage(string path, long fileSize, ImageCompression compression, BlockMap? blockMap, long? size)
    {
        Path = path;
        FileSize = fileSize;
        Compression = compression;
        BlockMap = blockMap;
        Size = size;
    }

    /// <summary>The image file's full path.</summary>
    public string Path { get; }

    /// <summary>The file's size (compressed, when it is).</summary>
    public long FileSize { get; }

    public ImageCompression Compression { get; }

    /// <summary>The block map found beside the image, or null.</summary>
    public BlockMap? BlockMap { get; }

    /// <summary>The decompressed size when it is known before writing (raw file, block map, xz index, zstd frame header).</summary>
    public long? Size { get; }

    /// <summary>How many bytes a write puts on the medium (the mapped ranges with a block map), when known.</summary>
    public long? BytesToWrite => BlockMap?.MappedBytes ?? Size;

    /// <summary>One line for logs: "os.wic.xz (xz, 52 MiB; block map os.wic.bmap: 220 MiB of 1.0 GiB mapped)".</summary>
    public string Describe()
    {
        var what = Compression == ImageCompression.None ? "raw" : Compression.ToString().ToLowerInvariant();
        var map = BlockMap is { } m
            ? $"; block map {System.IO.Path.GetFileName(m.Path)}: {ByteSize.Format(m.MappedBytes)} of {ByteSize.Format(m.ImageSize)} mapped"
            : Size is { } size ? $", {ByteSize.Format(size)} decompressed" : string.Empty;
        return $"{System.IO.Path.GetFileName(Path)} ({what}, {ByteSize.Format(FileSize)}{map})";
    }

    /// <summary>Opens <paramref name="path"/>: checks it can be read, tells its compression, reads a block map beside it.</summary>
    /// <exception cref="FlashException">Missing, unreadable, of a format DeviceTest does not write, or a bad block map (<see cref="FlashFailure.BadImage"/>).</exception>
    public static async Task<FlashImage> OpenAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw Bad($"image {full} is a directory; give the image file");
        }

        if (!File.Exists(full))
        {
            throw Bad($"image {full} does not exist");
        }

        byte[] head = new byte[16];
        long length;
        try
        {
            await using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
            length = file.Length;
            var read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            head = head[..read];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Bad($"image {full} cannot be read: {e.Message}", e);
        }

        if (length == 0)
        {
            throw Bad($"image {full} is empty");
        }

        var compression = ImageMagic.Detect(head, full);
        var expected = Expected(full);
        if (expected is { } ext && ext.Compression != compression)
        {
            throw Bad($"image {full} is named {ext.Extension} but is {(compression == ImageCompression.None ? "not compressed that way" : "compressed with " + compression.ToString().ToLowerInvariant())}: its first bytes are {Convert.ToHexString(head[..Math.Min(6, head.Length)])}; rename it or check the file");
        }

        var blockMap = FindBlockMap(full) is { } mapPath ? await BlockMapReader.ReadAsync(mapPath, cancellationToken).ConfigureAwait(false) : null;
        long? size = compression switch
        {
            ImageCompression.None => length,
            ImageCompression.Xz => await XzIndex.UncompressedSizeAsync(full, cancellationToken).ConfigureAwait(false),
            _ => null,
        };
        if (blockMap is not null && size is { } known && known != blockMap.ImageSize)
        {
            throw Bad($"block map {blockMap.Path} does not match image {full}: the map is for a {blockMap.ImageSize}-byte image, the image is {known} bytes");
        }

        return new FlashImage(full, length, compression, blockMap, size ?? blockMap?.ImageSize);
    }

    /// <summary>The block map bmaptool would use: <c>x.wic.xz.bmap</c>, else <c>x.wic.bmap</c> for <c>x.wic.xz</c>.</summary>
    public static string? FindBlockMap(string imagePath)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        var candidates = new List<string> { imagePath + ".bmap" };
        if (Expected(imagePath) is { } ext)
        {
            candidates.Add(imagePath[..^ext.Extension.Length] + ".bmap");
        }

        return candidates.FirstOrDefault(File.Exists);
    }

    private static (string Extension, ImageCompression Compression)? Expected(string path) =>
        Extensions.FirstOrDefault(e => path.EndsWith(e.Extension, StringComparison.OrdinalIgnoreCase)) is { Extension: not null } found ? found : null;

    private static FlashException Bad(string message, Exception? inner = null) => new(FlashFailure.BadImage, FlashStage.Image, message, inner);
}
