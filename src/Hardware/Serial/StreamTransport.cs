namespace DeviceTest.Hardware.Serial;

/// <summary>
/// A console over any stream a callback opens: a Unix socket (QEMU's <c>-serial unix:path,server</c>), a process's
/// stdio, a named pipe. The stream is disposed with the transport.
/// </summary>
public sealed class StreamTransport : IConsoleTransport
{
    private readonly Func<CancellationToken, Task<Stream>> _open;
    private Stream? _stream;

    public StreamTransport(string description, Func<CancellationToken, Task<Stream>> open)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(open);
        Description = description;
        _open = open;
    }

    public string Description { get; }

    public async Task OpenAsync(CancellationToken cancellationToken) =>
        _stream = await _open(cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException($"{Description} is not open");
        try
        {
            return await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return 0;
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException($"{Description} is not open");
        await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            _stream = null;
        }
    }
}
