namespace DeviceTest.Hardware.Flashing.Images;

/// <summary>
/// What every forward-only, read-only stream of flashing has in common (an image being decoded, counted or metered on
/// its way to the medium): no seeking, no writing, no length unless the type knows it; the array overload of
/// <see cref="ReadAsync(byte[], int, int, CancellationToken)"/> goes to the <see cref="Memory{T}"/> one.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Each stream reads here; the array overload comes here too.</summary>
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
