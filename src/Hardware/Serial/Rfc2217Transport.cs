using System.Net.Sockets;

namespace DeviceTest.Hardware.Serial;

/// <summary>
/// A console behind a telnet port with RFC 2217 COM-PORT-OPTION (ser2net's <c>telnet(rfc2217)</c>): negotiates
/// binary mode and the COM port option, sets the baud rate, 8 data bits, no parity, one stop bit and no flow
/// control, and escapes IAC both ways.
/// </summary>
public sealed class Rfc2217Transport : IConsoleTransport
{
    private readonly string _host;
    private readonly int _port;
    private readonly int _baud;
    private readonly TelnetCodec _codec = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Queue<byte> _pending = new();
    private TcpClient? _client;
    private NetworkStream? _stream;
    private byte[] _raw = new byte[16384];
    private bool _settingsSent;

    public Rfc2217Transport(string host, int port, int baud)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(baud, 1);
        _host = host;
        _port = port;
        _baud = baud;
    }

    public string Description => $"rfc2217://{_host}:{_port} {_baud}";

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long opening waits for the server to answer the port settings.</summary>
    public TimeSpan NegotiationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The baud rate the server confirmed, or null when it did not answer (yet).</summary>
    public int? ConfirmedBaud => _codec.ServerBaud;

    /// <summary>
    /// Connects and negotiates. Waits (up to <see cref="NegotiationTimeout"/>) for the server to confirm the baud
    /// rate; a server that refuses COM-PORT-OPTION is an error (use <c>tcp://</c> for a raw port).
    /// </summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        (_client, _stream) = await TcpTransport.ConnectAsync(_host, _port, ConnectTimeout, Description, cancellationToken)
            .ConfigureAwait(false);
        await SendRawAsync(_codec.Greeting(), cancellationToken).ConfigureAwait(false);

        using var negotiation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        negotiation.CancelAfter(NegotiationTimeout);
        var buffer = new byte[_raw.Length];
        try
        {
            while (_codec.ServerBaud is null && !_codec.ComPortRefused)
            {
                var n = await ReadDecodedAsync(buffer, negotiation.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    var said = System.Text.Encoding.UTF8.GetString([.. _pending]).Trim();
                    throw new DeviceUnreachableException(said.Length > 0
                        ? $"console {Description} refused the connection: {said}"
                        : $"console {Description} closed the connection during telnet negotiation; is it an RFC 2217 port (ser2net: accepter: telnet(rfc2217),tcp,...)?");
                }

                for (var i = 0; i < n; i++)
                {
                    _pending.Enqueue(buffer[i]);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The server did not confirm the settings in time: it may still apply them; carry on.
        }

        if (_codec.ComPortRefused)
        {
            throw new DeviceUnreachableException(
                $"console {Description} refused RFC 2217 (COM-PORT-OPTION): the server cannot set the baud rate; use tcp://{_host}:{_port} for a raw port");
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_pending.Count > 0)
        {
            var count = Math.Min(buffer.Length, _pending.Count);
            var span = buffer.Span;
            for (var i = 0; i < count; i++)
            {
                span[i] = _pending.Dequeue();
            }

            return count;
        }

        while (true)
        {
            var n = await ReadDecodedAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n != -1)
            {
                return n;
            }
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        await SendRawAsync(_codec.Encode(data.Span), cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync()
    {
        _stream?.Dispose();
        _client?.Dispose();
        _stream = null;
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Reads one network chunk; returns the data length, 0 at end of stream, -1 when it held only telnet commands.</summary>
    private async ValueTask<int> ReadDecodedAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException($"{Description} is not open");
        if (_raw.Length < buffer.Length)
        {
            _raw = new byte[buffer.Length];
        }

        int read;
        try
        {
            read = await stream.ReadAsync(_raw.AsMemory(0, buffer.Length), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }

        if (read == 0)
        {
            return 0;
        }

        var data = _codec.Decode(_raw.AsSpan(0, read), buffer.Span);
        try
        {
            if (_codec.TakeReplies() is { } replies)
            {
                await SendRawAsync(replies, cancellationToken).ConfigureAwait(false);
            }

            if (_codec.ComPortAccepted && !_settingsSent)
            {
                _settingsSent = true;
                await SendRawAsync(TelnetCodec.PortSettings(_baud), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            return data == 0 ? 0 : data;
        }

        return data == 0 ? -1 : data;
    }

    private async Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException($"{Description} is not open");
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
