using System.Security.Cryptography;
using System.Threading.Channels;
using DeviceTest.Hardware.Flashing.BlockMaps;
using DeviceTest.Hardware.Flashing.Images;

namespace DeviceTest.Hardware.Flashing.Writers;

/// <summary>
/// Writes a decompressed image to a medium on this machine, as bmaptool does but in two stages that overlap: this
/// thread decompresses (or reads the decompressor's pipe), skips unmapped blocks, hashes each range and hands 4 MiB
/// aligned buffers to a writer that puts them at their offsets with O_DIRECT; then one fsync. A range whose checksum
/// differs from the block map's fails the flash (the map does not belong to the image). Verification reads every
/// written range back (bypassing the page cache) and compares its hash with the hash of what was written.
/// </summary>
internal sealed class ImageCopy(FlashImage image, TimeProvider time)
{
    private const int ChunkSize = 4 << 20;
    private const int Buffers = 4;
    private const long RawSegment = 64L << 20;
    private const int Sector = 512;

    private readonly List<ImageSegment> _segments = [];

    /// <summary>Bytes written so far.</summary>
    public long Written { get; private set; }

    /// <summary>Writes the image to <paramref name="target"/> and syncs it.</summary>
    /// <exception cref="FlashException">The image is corrupt or cut short, a range does not match the map, or a write failed.</exception>
    public async Task WriteAsync(DecodedImageStream source, MediumFile target, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var meter = new ProgressMeter(progress, FlashStage.Write, image.BytesToWrite, time);
        var pool = Channel.CreateBounded<AlignedBuffer>(Buffers);
        for (var i = 0; i < Buffers; i++)
        {
            pool.Writer.TryWrite(new AlignedBuffer(ChunkSize));
        }

        var chunks = Channel.CreateBounded<ImageChunk>(Buffers - 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = Task.Run(
            async () =>
            {
                try
                {
                    await WriteChunksAsync(chunks.Reader, pool.Writer, target, meter, stop.Token).ConfigureAwait(false);
                }
                catch
                {
                    // The reader may be waiting for a buffer the writer will never give back: stop it too.
                    await stop.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            },
            CancellationToken.None);
        try
        {
            await ReadSegmentsAsync(source, pool.Reader, chunks.Writer, stop.Token).ConfigureAwait(false);
            chunks.Writer.TryComplete();
        }
        catch (Exception) when (writer.IsFaulted || !cancellationToken.IsCancellationRequested)
        {
            chunks.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(writer).ConfigureAwait(false);
            if (writer.Exception?.InnerException is FlashException writeFailure)
            {
                // The writer failed first; the reader only saw the stop.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(writeFailure);
            }

            throw;
        }
        catch (OperationCanceledException)
        {
            chunks.Writer.TryComplete();
            await Task.WhenAny(writer).ConfigureAwait(false);
            throw;
        }

        await writer.ConfigureAwait(false);

        try
        {
            RandomAccess.FlushToDisk(target.Handle);
        }
        catch (IOException e)
        {
            throw new FlashException(FlashFailure.WriteFailed, FlashStage.Write, $"flushing {target.Path} failed: {e.Message}; the medium may be incomplete", e);
        }

        Written = meter.Bytes;
        meter.Report(last: true);
    }

    /// <summary>Reads every written range back from <paramref name="target"/> and compares hashes.</summary>
    /// <exception cref="FlashException">A range reads back different (<see cref="FlashFailure.WriteFailed"/>, stage verify).</exception>
    public async Task VerifyAsync(MediumFile target, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!target.IsBlockDevice)
        {
            NativeDisk.DropCache(target.Handle);
        }

        var meter = new ProgressMeter(progress, FlashStage.Verify, Written, time);
        var buffer = new AlignedBuffer(ChunkSize);
        foreach (var segment in _segments)
        {
            using var hash = NewHash();
            for (long done = 0; done < segment.Length;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var want = (int)Math.Min(ChunkSize, segment.Length - done);
                var read = await ReadBackAsync(target, buffer.Memory[..(target.Direct ? RoundUp(want) : want)], segment.Offset + done, cancellationToken).ConfigureAwait(false);
                if (read < want)
                {
                    throw new FlashException(FlashFailure.WriteFailed, FlashStage.Verify,
                        $"verification of {target.Path} failed: {segment.What} could not be read back (the medium ended at byte {segment.Offset + done + read})");
                }

                hash.AppendData(buffer.Memory.Span[..want]);
                done += want;
                meter.Add(want);
            }

            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(segment.Written))
            {
                throw new FlashException(FlashFailure.WriteFailed, FlashStage.Verify,
                    $"verification of {target.Path} failed: {segment.What} read back differs from what was written; the medium (or its reader) is faulty");
            }
        }

        meter.Report(last: true);
    }

    private static int RoundUp(int length) => (length + Sector - 1) / Sector * Sector;

    private static async Task<int> ReadBackAsync(MediumFile target, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await RandomAccess.ReadAsync(target.Handle, buffer[total..], offset + total, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static async Task<int> ReadFullAsync(DecodedImageStream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await source.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private IncrementalHash NewHash() =>
        image.BlockMap is { ChecksumType: { } type } map ? BlockMapReader.CreateHash(type, map.Path) : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    private async Task ReadSegmentsAsync(
        DecodedImageStream source,
        ChannelReader<AlignedBuffer> pool,
        ChannelWriter<ImageChunk> chunks,
        CancellationToken cancellationToken)
    {
        if (image.BlockMap is { } map)
        {
            var skip = new byte[1 << 20];
            foreach (var range in map.Ranges)
            {
                var offset = map.ByteOffset(range);
                while (source.Produced < offset)
                {
                    var read = await source.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, offset - source.Produced)), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw source.CutShort(map.ImageSize);
                    }
                }

                var segment = new ImageSegment(offset, map.ByteLength(range), range.Checksum,
                    $"blocks {range.First}-{range.Last} ({System.IO.Path.GetFileName(map.Path)} line {range.Line})");
                _segments.Add(segment);
                if (!await CopySegmentAsync(source, segment, pool, chunks, cancellationToken).ConfigureAwait(false))
                {
                    throw source.CutShort(map.ImageSize);
                }
            }

            return;
        }

        for (long offset = 0; ; offset += RawSegment)
        {
            var segment = new ImageSegment(offset, RawSegment, null, $"bytes {offset}-{offset + RawSegment - 1}");
            var whole = await CopySegmentAsync(source, segment, pool, chunks, cancellationToken).ConfigureAwait(false);
            if (segment.Length > 0)
            {
                _segments.Add(segment);
            }

            if (!whole)
            {
                if (image.Size is { } size && source.Produced < size)
                {
                    throw source.CutShort(size);
                }

                return;
            }
        }
    }

    /// <summary>Copies one segment; false when the image ended inside it (its length is then what was read).</summary>
    private async Task<bool> CopySegmentAsync(
        DecodedImageStream source,
        ImageSegment segment,
        ChannelReader<AlignedBuffer> pool,
        ChannelWriter<ImageChunk> chunks,
        CancellationToken cancellationToken)
    {
        using var hash = NewHash();
        long done = 0;
        var whole = true;
        while (done < segment.Length)
        {
            var buffer = await pool.ReadAsync(cancellationToken).ConfigureAwait(false);
            var want = (int)Math.Min(ChunkSize, segment.Length - done);
            var read = await ReadFullAsync(source, buffer.Memory[..want], cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                hash.AppendData(buffer.Memory.Span[..read]);
                await chunks.WriteAsync(new ImageChunk(segment.Offset + done, buffer, read), cancellationToken).ConfigureAwait(false);
                done += read;
            }

            if (read < want)
            {
                whole = false;
                segment.Length = done;
                break;
            }
        }

        segment.Written = hash.GetHashAndReset();
        if (whole && segment.Expected is { } expected && !string.Equals(Convert.ToHexStringLower(segment.Written), expected, StringComparison.Ordinal))
        {
            throw new FlashException(FlashFailure.WriteFailed, FlashStage.Write,
                $"block map {image.BlockMap!.Path} does not match image {image.Path}: {segment.What} hash to {Convert.ToHexStringLower(segment.Written)}, the map says {expected}; the medium is incomplete");
        }

        return whole;
    }

    private static async Task WriteChunksAsync(
        ChannelReader<ImageChunk> chunks,
        ChannelWriter<AlignedBuffer> pool,
        MediumFile target,
        ProgressMeter meter,
        CancellationToken cancellationToken)
    {
        await foreach (var (offset, buffer, length) in chunks.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (target.Direct && (offset % Sector != 0 || length % Sector != 0))
            {
                target.StopDirect();
            }

            try
            {
                await RandomAccess.WriteAsync(target.Handle, buffer.Memory[..length], offset, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new FlashException(FlashFailure.WriteFailed, FlashStage.Write,
                    $"writing {target.Path} at byte {offset} failed: {e.Message}; the medium is incomplete", e);
            }

            meter.Add(length);
            pool.TryWrite(buffer);
        }
    }
}
