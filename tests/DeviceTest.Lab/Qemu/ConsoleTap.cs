using System.Net.Sockets;
using System.Text;

namespace DeviceTest.Lab.Qemu;

/// <summary>
/// A plain reader/writer of a console on a unix socket (QEMU's serial port) for lab fixtures and tests: keeps all
/// text read and waits for strings in it. Independent of the product's console code on purpose.
/// </summary>
public sealed class ConsoleTap : IAsyncDisposable
{
    private readonly Socket _client;
    private readonly NetworkStream _stream;
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _readLoop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cursor;
    private bool _closed;

    private ConsoleTap(Socket client)
    {
        _client = client;
        _stream = new NetworkStream(client, ownsSocket: false);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Everything read so far.</summary>
    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public static async Task<ConsoleTap> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await client.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new ConsoleTap(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>How many times <paramref name="text"/> occurs in everything read so far.</summary>
    public int Count(string text)
    {
        var all = Text;
        int count = 0, at = 0;
        while ((at = all.IndexOf(text, at, StringComparison.Ordinal)) >= 0)
        {
            count++;
            at += text.Length;
        }

        return count;
    }

    /// <summary>
    /// Waits until <paramref name="text"/> appears after the previous match; returns what came between and moves past it.
    /// </summary>
    /// <exception cref="TimeoutException">With the last text seen.</exception>
    public async Task<string> ExpectAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var all = _text.ToString();
                var at = all.IndexOf(text, _cursor, StringComparison.Ordinal);
                if (at >= 0)
                {
                    var before = all[_cursor..at];
                    _cursor = at + text.Length;
                    return before;
                }

                if (_closed)
                {
                    throw new IOException($"The console closed before '{text}' appeared. Last text:\n{Tail(all)}");
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"'{text}' did not appear on the console within {timeout.TotalSeconds:0} s. Last text:\n{Tail(Text)}");
            }
        }
    }

    public async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    public Task WriteLineAsync(string line, CancellationToken cancellationToken) => WriteAsync(line + "\n", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _stream.DisposeAsync();
        _client.Dispose();
        try
        {
            await _readLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[4096];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        try
        {
            while (true)
            {
                var n = await _stream.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    break;
                }

                var count = decoder.GetChars(buffer, 0, n, chars, 0);
                Signal(() => _text.Append(chars, 0, count));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            Signal(() => _closed = true);
        }
    }

    private void Signal(Action change)
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            change();
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private static string Tail(string text) => text.Length <= 800 ? text : "..." + text[^800..];
}
