using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceTest.Hardware.Qemu;

/// <summary>
/// A QEMU Machine Protocol client over a unix socket: reads the greeting, negotiates capabilities,
/// sends commands with ids and tells their replies from asynchronous events.
/// </summary>
public sealed class QmpClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, (string Command, TaskCompletionSource<JsonNode?> Reply)> _pending = new();
    private readonly List<QmpEventSubscription> _subscriptions = [];
    private readonly Lock _subscriptionsLock = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _readCancel = new();
    private Task _readLoop = Task.CompletedTask;
    private long _nextId;
    private int _disposed;

    private QmpClient(Socket socket, string socketPath)
    {
        _socket = socket;
        SocketPath = socketPath;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, new UTF8Encoding(false));
    }

    /// <summary>The unix socket this client talks to.</summary>
    public string SocketPath { get; }

    /// <summary>QEMU's version from the greeting, e.g. "7.2.19".</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>Completes when QEMU closed the connection (e.g. after <c>quit</c>) or the client was disposed.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Connects, reads the greeting and sends <c>qmp_capabilities</c>.</summary>
    /// <exception cref="IOException">The socket does not answer as QMP.</exception>
    public static async Task<QmpClient> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        QmpClient? client = null;
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            client = new QmpClient(socket, socketPath);
            await client.HandshakeAsync(cancellationToken);
            return client;
        }
        catch
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Receives the events QEMU sends from now on; dispose it to stop.</summary>
    public QmpEventSubscription SubscribeEvents()
    {
        var subscription = new QmpEventSubscription(Unsubscribe);
        lock (_subscriptionsLock)
        {
            if (_closed.Task.IsCompleted)
            {
                subscription.Complete();
            }
            else
            {
                _subscriptions.Add(subscription);
            }
        }

        return subscription;
    }

    /// <summary>Runs a QMP command and returns its <c>return</c> member.</summary>
    /// <exception cref="QmpException">QEMU answered with an error.</exception>
    /// <exception cref="IOException">The connection closed before the answer.</exception>
    public async Task<JsonNode?> ExecuteAsync(string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var id = "dt-" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var reply = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (command, reply);
        try
        {
            if (_closed.Task.IsCompleted)
            {
                throw ClosedError(command);
            }

            var message = new JsonObject { ["execute"] = command, ["id"] = id };
            if (arguments is not null)
            {
                message["arguments"] = arguments.DeepClone();
            }

            await SendAsync(message, command, cancellationToken);
            return await reply.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary><c>query-status</c>: whether the guest runs.</summary>
    public async Task<QmpStatus> QueryStatusAsync(CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync("query-status", null, cancellationToken) as JsonObject;
        var status = result?["status"]?.GetValue<string>() ?? "unknown";
        var running = result?["running"]?.GetValue<bool>() ?? false;
        return new QmpStatus(status, running);
    }

    /// <summary><c>system_reset</c>: a hard reset of the guest (QEMU sends a RESET event).</summary>
    public Task SystemResetAsync(CancellationToken cancellationToken) =>
        ExecuteAsync("system_reset", null, cancellationToken);

    /// <summary><c>system_powerdown</c>: an ACPI power button press; the guest decides what to do.</summary>
    public Task SystemPowerdownAsync(CancellationToken cancellationToken) =>
        ExecuteAsync("system_powerdown", null, cancellationToken);

    /// <summary><c>stop</c>: pauses the guest's CPUs.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => ExecuteAsync("stop", null, cancellationToken);

    /// <summary><c>cont</c>: resumes (or starts, with <c>-S</c>) the guest's CPUs.</summary>
    public Task ContinueAsync(CancellationToken cancellationToken) => ExecuteAsync("cont", null, cancellationToken);

    /// <summary><c>quit</c>: QEMU exits. The connection closing right after the command counts as success.</summary>
    public async Task QuitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync("quit", null, cancellationToken);
        }
        catch (IOException)
        {
            // QEMU may close the socket before its reply is read: it is quitting, which is what was asked.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _readCancel.CancelAsync();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // QEMU already closed its end
        }
        try
        {
            await _readLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        Close();
        _reader.Dispose();
        await _stream.DisposeAsync();
        _writeLock.Dispose();
        _readCancel.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var line = await _reader.ReadLineAsync(cancellationToken)
            ?? throw new IOException($"QMP socket {SocketPath} closed before QEMU's greeting.");
        JsonObject? greeting;
        try
        {
            greeting = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new IOException($"QMP socket {SocketPath} did not send a QMP greeting but: {Shorten(line)}", e);
        }

        if (greeting?["QMP"] is not JsonObject qmp)
        {
            throw new IOException($"QMP socket {SocketPath} did not send a QMP greeting but: {Shorten(line)}");
        }

        if (qmp["version"]?["qemu"] is JsonObject v)
        {
            Version = string.Create(
                CultureInfo.InvariantCulture,
                $"{v["major"]?.GetValue<int>()}.{v["minor"]?.GetValue<int>()}.{v["micro"]?.GetValue<int>()}");
        }

        _readLoop = Task.Run(() => ReadLoopAsync(_readCancel.Token), CancellationToken.None);
        await ExecuteAsync("qmp_capabilities", null, cancellationToken);
    }

    private async Task SendAsync(JsonObject message, string command, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString() + "\n");
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new IOException($"Could not send QMP command '{command}' to {SocketPath}: {e.Message}", e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var line = await _reader.ReadLineAsync(cancellationToken);
                if (line is null)
                {
                    break;
                }

                if (line.Length > 0)
                {
                    Dispatch(line);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Close();
        }
    }

    private void Dispatch(string line)
    {
        JsonObject? message;
        try
        {
            message = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return; // not QMP; nothing waits for it
        }

        if (message is null)
        {
            return;
        }

        if (message["event"] is JsonNode eventName)
        {
            var e = new QmpEvent(eventName.GetValue<string>(), message["data"] as JsonObject, ReadTimestamp(message));
            QmpEventSubscription[] targets;
            lock (_subscriptionsLock)
            {
                targets = [.. _subscriptions];
            }

            foreach (var s in targets)
            {
                s.Post(e);
            }

            return;
        }

        var id = message["id"]?.GetValue<string>();
        if (id is null || !_pending.TryGetValue(id, out var pending))
        {
            return;
        }

        var (command, reply) = pending;
        if (message["error"] is JsonObject error)
        {
            reply.TrySetException(new QmpException(
                command, error["class"]?.GetValue<string>(), error["desc"]?.GetValue<string>()));
        }
        else
        {
            reply.TrySetResult(message["return"]?.DeepClone());
        }
    }

    private static DateTimeOffset ReadTimestamp(JsonObject message)
    {
        if (message["timestamp"] is JsonObject t
            && t["seconds"]?.GetValue<long>() is long seconds
            && t["microseconds"]?.GetValue<long>() is long micro)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(micro * 10);
        }

        return DateTimeOffset.UtcNow;
    }

    private void Close()
    {
        QmpEventSubscription[] targets;
        lock (_subscriptionsLock)
        {
            if (!_closed.TrySetResult())
            {
                return;
            }

            targets = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (var s in targets)
        {
            s.Complete();
        }

        foreach (var (_, (command, reply)) in _pending)
        {
            reply.TrySetException(ClosedError(command));
        }
    }

    private IOException ClosedError(string command) =>
        new($"QEMU closed the QMP connection {SocketPath} before answering '{command}' (did QEMU exit?).");

    private void Unsubscribe(QmpEventSubscription subscription)
    {
        lock (_subscriptionsLock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
