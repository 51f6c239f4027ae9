using System.Net.Sockets;

namespace DeviceTest.Hardware.Serial;

/// <summary>A raw TCP console: ser2net's raw mode or QEMU's <c>-serial tcp:host:port,server</c>.</summary>
public sealed class TcpTransport : IConsoleTransport
{
    private readonly string _host;
    private readonly int _port;
    private TcpClient? _client;
    private NetworkStream? _stream;

    public TcpTransport(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        _host = host;
        _port = port;
    }

    public string Description => $"tcp://{_host}:{_port}";

    /// <summary>How long connecting may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_client is not null && _stream is null, this);
        (_client, _stream) = await ConnectAsync(_host, _port, ConnectTimeout, Description, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException($"{Description} is not open");
        try
        {
            return await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException($"{Description} is not open");
        await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _stream?.Dispose();
        _client?.Dispose();
        _stream = null;
        return ValueTask.CompletedTask;
    }

    internal static async Task<(TcpClient Client, NetworkStream Stream)> ConnectAsync(
        string host, int port, TimeSpan timeout, string description, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(host, port, timeoutSource.Token).ConfigureAwait(false);
            return (client, client.GetStream());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new DeviceUnreachableException(
                $"cannot connect to console {description}: no answer within {timeout.TotalSeconds:0.#} s; check that ser2net (or the console server) runs there");
        }
        catch (SocketException e)
        {
            client.Dispose();
            throw new DeviceUnreachableException(
                $"cannot connect to console {description}: {e.Message}; check that ser2net (or the console server) runs there and the port is right", e);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
