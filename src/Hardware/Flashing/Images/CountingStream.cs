namespace DeviceTest.Hardware.Flashing.Images;

/// <summary>A read-only view of a stream that counts the bytes read from it: where in a compressed file a decoder broke.</summary>
internal sealed class CountingStream(Stream inner) : ReadOnlyStream
{
    private long _position;

    /// <summary>Bytes read so far.</summary>
    public long Consumed => Interlocked.Read(ref _position);

    public override long Length => inner.Length;

    public override long Position
    {
        get => Consumed;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        Interlocked.Add(ref _position, read);
        return read;
    }
}
