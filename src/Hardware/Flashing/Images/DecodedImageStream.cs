using System.IO.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

namespace DeviceTest.Hardware.Flashing.Images;

/// <summary>
/// An image's decompressed bytes as one stream, read once from start to end (never a temporary copy). The decoder for
/// each format was picked by measuring (docs/flash.md): gzip with .NET's System.IO.Compression (zlib-ng, ~9x faster
/// than gzip(1)); zstd with ZstdSharp (managed, ~1.9 GB/s); xz and bzip2 with the system's xz (multi-threaded over
/// multi-block files) and lbzip2/pbzip2/bzip2 through a pipe where they are installed, since SharpCompress's managed
/// decoders take 1.6x (xz) and 1.35x (bzip2) the CPU time of those tools and xz images are decompression-bound;
/// SharpCompress where the tools are missing. The native devicetest has no managed decoder at all
/// (<see cref="ManagedDecoders"/>): it runs xz, zstd(1), bzip2 and pigz or gzip(1), as bmaptool does, and refuses such an
/// image when the program is missing (<see cref="RequireDecoder"/>). A corrupt or cut-short stream fails the read with a
/// <see cref="FlashException"/> that says where in the file it broke.
/// </summary>
public sealed class DecodedImageStream : ReadOnlyStream
{
    private readonly Stream _decoder;
    private readonly Func<long> _consumed;
    private readonly FlashImage _image;
    private long _produced;

    private DecodedImageStream(FlashImage image, Stream decoder, Func<long> consumed, string decoderName)
    {
        _image = image;
        _decoder = decoder;
        _consumed = consumed;
        Decoder = decoderName;
    }

    /// <summary>What decompresses: "raw", "System.IO.Compression", "xz -dc -T0 -q", "zstd -dc -q", "SharpCompress"...</summary>
    public string Decoder { get; }

    /// <summary>Decompressed bytes read so far.</summary>
    public long Produced => _produced;

    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    /// <summary>Opens the decoder for <paramref name="image"/>.</summary>
    /// <param name="image">The image.</param>
    /// <param name="preferLibrary">Use the managed decoders even where a system tool is installed (tests, benchmarks); not in the native devicetest.</param>
    /// <exception cref="FlashException">The image cannot be read, or its program is missing in the native devicetest.</exception>
    public static DecodedImageStream Open(FlashImage image, bool preferLibrary = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        FileStream file;
        try
        {
            file = new FileStream(image.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FlashException(FlashFailure.BadImage, FlashStage.Image, $"image {image.Path} cannot be read: {e.Message}", e);
        }

        if (image.Compression == ImageCompression.None)
        {
            return new DecodedImageStream(image, file, () => file.Position, "raw");
        }

        if ((!preferLibrary || !ManagedDecoders.IsSupported) && PipeTool(image.Compression) is { } tool)
        {
            var pipe = PipeDecoder.Start(tool.Program, tool.Arguments, file, image.Path, image.Compression);
            return new DecodedImageStream(image, pipe, () => pipe.Fed, Path.GetFileName(tool.Program) + " " + string.Join(' ', tool.Arguments));
        }

        var counting = new CountingStream(file);
        if (image.Compression == ImageCompression.Gzip && ManagedDecoders.IsSupported)
        {
            return new DecodedImageStream(image, new GZipStream(counting, CompressionMode.Decompress), () => counting.Consumed, "System.IO.Compression");
        }

        if (!ManagedDecoders.IsSupported)
        {
            counting.Dispose();
            throw MissingTool(image);
        }

        return OpenManaged(image, counting);
    }

    /// <summary>
    /// Refuses, before anything is done, an image this build cannot decompress here: in the native devicetest (no
    /// managed decoders) a compressed image whose program is not installed.
    /// </summary>
    /// <exception cref="FlashException">The program is missing (<see cref="FlashFailure.BadImage"/>): the message names the package to install.</exception>
    public static void RequireDecoder(FlashImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!ManagedDecoders.IsSupported && image.Compression != ImageCompression.None && PipeTool(image.Compression) is null)
        {
            throw MissingTool(image);
        }
    }

    /// <summary>Not used: read the image asynchronously (a pipe decoder's end is awaited).</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read the image asynchronously");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var read = await _decoder.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _produced += read;
            return read;
        }
        catch (Exception e) when (e is not FlashException and not OperationCanceledException)
        {
            throw Corrupt(e);
        }
    }

    /// <summary>The stream ended before <paramref name="expected"/> bytes: the image was cut short.</summary>
    public FlashException CutShort(long expected) => new(
        FlashFailure.WriteFailed,
        FlashStage.Write,
        $"image {_image.Path} ended after {_produced} decompressed bytes, {expected} expected (compressed byte {_consumed()} of {_image.FileSize}): the file is cut short or corrupt; the medium is incomplete");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The managed decoders, for the .NET tool and library (never in the native devicetest: <see cref="ManagedDecoders"/>).</summary>
    private static DecodedImageStream OpenManaged(FlashImage image, CountingStream counting)
    {
        Stream decoder = image.Compression switch
        {
            ImageCompression.Zstd => new DecompressionStream(counting, 1 << 20),
            ImageCompression.Xz => new XZStream(counting),
            ImageCompression.Bzip2 => BZip2Stream.Create(counting, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true),
            _ => throw new ArgumentOutOfRangeException(nameof(image), image.Compression, "unknown compression"),
        };
        return new DecodedImageStream(image, decoder, () => counting.Consumed, image.Compression == ImageCompression.Zstd ? "ZstdSharp" : "SharpCompress");
    }

    /// <summary>
    /// The system program for xz and bzip2 (faster than the managed decoders), and for zstd and gzip where there is no
    /// managed decoder (ZstdSharp is as fast as zstd(1) and System.IO.Compression faster than gzip(1), so the .NET tool
    /// keeps them).
    /// </summary>
    private static (string Program, string[] Arguments)? PipeTool(ImageCompression compression) => compression switch
    {
        ImageCompression.Xz when ToolPath.Find("xz") is { } xz => (xz, ["-dc", "-T0", "-q"]),
        ImageCompression.Bzip2 => (ToolPath.Find("lbzip2") ?? ToolPath.Find("pbzip2") ?? ToolPath.Find("bzip2")) is { } bz ? (bz, ["-dc"]) : null,
        ImageCompression.Zstd when !ManagedDecoders.IsSupported && ToolPath.Find("zstd") is { } zstd => (zstd, ["-dc", "-q"]),
        ImageCompression.Gzip when !ManagedDecoders.IsSupported && (ToolPath.Find("pigz") ?? ToolPath.Find("gzip")) is { } gzip => (gzip, ["-dc"]),
        _ => null,
    };

    private static FlashException MissingTool(FlashImage image)
    {
        var (program, package) = image.Compression switch
        {
            ImageCompression.Xz => ("xz", "xz-utils"),
            ImageCompression.Zstd => ("zstd", "zstd"),
            ImageCompression.Gzip => ("gzip (or pigz)", "gzip"),
            _ => ("bzip2 (or lbzip2, pbzip2)", "bzip2"),
        };
        var name = image.Compression.ToString().ToLowerInvariant();
        return new FlashException(FlashFailure.BadImage, FlashStage.Image,
            $"image {image.Path} is {name}-compressed, and this devicetest (the native build) decompresses {name} with the {program} program, which is not on PATH: "
            + $"install it (Debian/Ubuntu: apt-get install {package}) or decompress the image first; nothing was written");
    }

    private FlashException Corrupt(Exception e) => new(
        FlashFailure.WriteFailed,
        FlashStage.Write,
        $"image {_image.Path}: the {_image.Compression.ToString().ToLowerInvariant()} stream is corrupt at or before compressed byte {_consumed()} of {_image.FileSize} (after {_produced} good decompressed bytes): {e.Message}; the medium is incomplete",
        e);
}
