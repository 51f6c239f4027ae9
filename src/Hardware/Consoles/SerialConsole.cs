using System.Text;
using System.Text.RegularExpressions;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Serial;

namespace DeviceTest.Hardware.Consoles;

/// <summary>
/// A device console over an <see cref="IConsoleTransport"/> (local tty, raw TCP, RFC 2217). A background reader
/// decodes the bytes as UTF-8 (invalid bytes become U+FFFD), appends them to <see cref="Log"/> and to a bounded
/// match buffer with ANSI escapes and carriage returns removed (<see cref="ConsoleMatchBuffer"/>).
/// <see cref="ExpectAsync(Regex, TimeSpan, CancellationToken)"/> matches against text not consumed by an earlier match; only one expect runs at a time.
/// </summary>
public sealed class SerialConsole : IDeviceConsole
{
    private const int MaxLogLine = 16 * 1024;

    private readonly Func<IConsoleTransport> _transportFactory;
    private readonly Lock _gate = new();
    private readonly ConsoleMatchBuffer _text = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _expectGate = new(1, 1);
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private IConsoleTransport? _transport;
    private CancellationTokenSource? _readerStop;
    private Task? _reader;
    private int _logLineLength;
    private bool _disposed;

    /// <summary>A console on the port a <c>serial:</c> section names.</summary>
    public SerialConsole(string deviceName, SerialConfig config)
        : this(deviceName, () => ConsoleTransports.Create(config))
    {
        ArgumentNullException.ThrowIfNull(config);
        Description = config.Port;
    }

    /// <summary>A console on transports made by <paramref name="transportFactory"/> (called again to reconnect).</summary>
    public SerialConsole(string deviceName, Func<IConsoleTransport> transportFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceName);
        ArgumentNullException.ThrowIfNull(transportFactory);
        DeviceName = deviceName;
        _transportFactory = transportFactory;
        Description = "console";
    }

    public string DeviceName { get; }

    /// <summary>The port, for messages (e.g. "/dev/ttyUSB0", "rfc2217://lab:3001").</summary>
    public string Description { get; private set; }

    /// <summary>How many characters of unmatched text are kept for matching; older text is dropped. Default 1 Mi.</summary>
    public int MaxBufferedChars
    {
        get => _text.MaxChars;
        init => _text.MaxChars = value;
    }

    public ConsoleLog Log { get; } = new();

    /// <summary>True while the transport is open and the other side has not closed it.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _transport is not null && _text.ClosedReason is null;
            }
        }
    }

    /// <summary>Unmatched text dropped so far because the match buffer was full (a position in the text stream).</summary>
    public long DiscardedChars => _text.DiscardedChars;

    /// <summary>Opens the transport; does nothing when it is open; reconnects when the other side closed it.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsOpen)
            {
                return;
            }

            await CloseTransportAsync().ConfigureAwait(false);
            var transport = _transportFactory();
            Description = transport.Description;
            try
            {
                await transport.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await transport.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            var stop = new CancellationTokenSource();
            lock (_gate)
            {
                _text.Reopened();
                _transport = transport;
                _readerStop = stop;
            }

            _reader = Task.Run(() => ReadLoopAsync(transport, stop.Token), CancellationToken.None);
        }
        finally
        {
            _openGate.Release();
        }
    }

    /// <exception cref="DeviceLostException">The console was closed by the other side.</exception>
    public async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        await WriteBytesAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
    }

    public Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        return WriteAsync(line + "\n", cancellationToken);
    }

    /// <exception cref="TimeoutException">Nothing matched in time; the message shows the last text seen.</exception>
    /// <exception cref="DeviceLostException">The console was closed by the other side and nothing matched.</exception>
    public Task<Match> ExpectAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken) =>
        ExpectAsync(pattern, timeout, watch: null, cancellationToken);

    /// <summary>
    /// <see cref="ExpectAsync(Regex, TimeSpan, CancellationToken)"/>, showing <paramref name="watch"/> the unmatched
    /// text each time it changes, with where it starts in the console's text stream (a position that only grows), before
    /// the pattern is tried on it: the last call shows the text a match was found in. So text that arrives while a
    /// command runs can be passed on before the command ends (see <c>ConsoleOutputRelay</c>).
    /// </summary>
    internal async Task<Match> ExpectAsync(Regex pattern, TimeSpan timeout, Action<string, long>? watch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var started = TimeProvider.System.GetTimestamp();
        await _expectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var seenVersion = -1L;
            while (true)
            {
                var (snapshot, snapshotStart, closed, changed) = _text.Look(ref seenVersion);
                if (snapshot is not null)
                {
                    watch?.Invoke(snapshot, snapshotStart);
                    var match = pattern.Match(snapshot);
                    if (match.Success)
                    {
                        _text.Consume(snapshotStart + match.Index + match.Length);
                        return match;
                    }
                }

                if (closed is not null)
                {
                    throw new DeviceLostException(
                        $"device lost: the console of {DeviceName} ({Description}) closed ({closed}) while waiting for /{pattern}/; last text seen: {Tail()}");
                }

                var remaining = timeout == Timeout.InfiniteTimeSpan
                    ? Timeout.InfiniteTimeSpan
                    : timeout - TimeProvider.System.GetElapsedTime(started);
                if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException(
                        $"console of {DeviceName} ({Description}): no match for /{pattern}/ within {timeout.TotalSeconds:0.#} s; last text seen: {Tail()}");
                }

                try
                {
                    await changed.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Checked at the top of the loop.
                }
            }
        }
        finally
        {
            _expectGate.Release();
        }
    }

    /// <summary>The last text seen (up to 200 characters), escaped and quoted, for error messages.</summary>
    public string Tail() => _text.Tail();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await CloseTransportAsync().ConfigureAwait(false);
        _writeGate.Dispose();
        _expectGate.Dispose();
        _openGate.Dispose();
    }

    private async Task WriteBytesAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        IConsoleTransport? transport;
        lock (_gate)
        {
            transport = _transport;
        }

        var closed = _text.ClosedReason;

        if (transport is null)
        {
            throw new InvalidOperationException($"the console of {DeviceName} is not open (call OpenAsync first)");
        }

        if (closed is not null)
        {
            throw new DeviceLostException($"device lost: the console of {DeviceName} ({Description}) closed ({closed})");
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await transport.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            throw new DeviceLostException($"device lost: writing to the console of {DeviceName} ({Description}) failed: {e.Message}", e);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReadLoopAsync(IConsoleTransport transport, CancellationToken cancellationToken)
    {
        var bytes = new byte[16384];
        var decoder = new UTF8Encoding(false, false).GetDecoder();
        var chars = new char[bytes.Length + 4];
        string reason = "end of stream";
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var n = await transport.ReadAsync(bytes, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                var count = decoder.GetChars(bytes, 0, n, chars, 0, flush: false);
                if (count > 0)
                {
                    Received(chars.AsSpan(0, count));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reason = "console closed";
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            reason = e.Message;
        }
        finally
        {
            _text.Close(reason);
        }
    }

    private void Received(ReadOnlySpan<char> text)
    {
        Log.Append(SplitLongLines(text), DateTimeOffset.UtcNow);
        _text.Append(text);
    }

    /// <summary>Breaks lines longer than 16 Ki characters so that a flood without newlines cannot grow one log line forever.</summary>
    private string SplitLongLines(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            builder.Append(c);
            if (c == '\n')
            {
                _logLineLength = 0;
            }
            else if (++_logLineLength >= MaxLogLine)
            {
                builder.Append('\n');
                _logLineLength = 0;
            }
        }

        return builder.ToString();
    }

    private async Task CloseTransportAsync()
    {
        IConsoleTransport? transport;
        CancellationTokenSource? stop;
        Task? reader;
        lock (_gate)
        {
            transport = _transport;
            stop = _readerStop;
            reader = _reader;
            _transport = null;
            _readerStop = null;
            _reader = null;
        }

        if (stop is not null)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        if (transport is not null)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        if (reader is not null)
        {
            await reader.ConfigureAwait(false);
        }

        stop?.Dispose();
    }
}
