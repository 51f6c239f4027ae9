using DeviceTest.Agent.Gateway;
using System.Globalization;
using System.Net;
using System.Text;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// The HTTP endpoint the callback script posts to. <see cref="HttpListener"/> rather than Kestrel: it is part of the
/// base libraries, so the self-contained (trimmed / Native AOT) agent stays small, and one loopback request every few
/// minutes needs nothing more. Every request must carry the callback secret (<see cref="CallbackSecret"/>), as the
/// body field <c>secret</c> or an <c>Authorization: Bearer</c> header: 401 without it, 403 with a wrong one. Bounded:
/// bodies over 64 KiB get 400, a body not received within <see cref="ReadTimeout"/> 408, and more than
/// <see cref="MaxConcurrentRequests"/> requests at once 503; the listener keeps serving.
/// </summary>
internal sealed class CallbackListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<CallbackMessage, CancellationToken, Task<string>> _handler;
    private readonly Func<string> _status;
    private readonly CallbackSecret _secret;
    private readonly AgentLog _log;
    private readonly SemaphoreSlim _slots;

    public CallbackListener(
        string host, int port, CallbackSecret secret, Func<CallbackMessage, CancellationToken, Task<string>> handler, Func<string> status, AgentLog log)
    {
        _handler = handler;
        _status = status;
        _secret = secret;
        _log = log;
        _slots = new SemaphoreSlim(MaxConcurrentRequests, MaxConcurrentRequests);
        var prefixHost = host is "0.0.0.0" or "*" or "::" or "[::]" ? "*" : host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        Prefix = string.Create(CultureInfo.InvariantCulture, $"http://{prefixHost}:{port}/");
        _listener.Prefixes.Add(Prefix);
    }

    /// <summary>How many requests are handled at once; more get 503 at once (the script retries).</summary>
    public static int MaxConcurrentRequests => 8;

    /// <summary>How long a client may take to send its body.</summary>
    public static TimeSpan ReadTimeout => TimeSpan.FromSeconds(5);

    public string Prefix { get; }

    /// <exception cref="HttpListenerException">The address is in use or cannot be bound.</exception>
    public void Start() => _listener.Start();

    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(() => _listener.Stop());
        var handlers = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                _log.Warning($"callback listener: {e.Message}; still listening");
                continue;
            }

            handlers.RemoveAll(task => task.IsCompleted);
            if (!_slots.Wait(0, CancellationToken.None))
            {
                TryReply(context.Response, 503, $"busy: {MaxConcurrentRequests} requests are being handled; try again");
                continue;
            }

            handlers.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await HandleAsync(context, cancellationToken);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                },
                CancellationToken.None));
        }

        await Task.WhenAll(handlers);
    }

    public void Dispose()
    {
        ((IDisposable)_listener).Dispose();
        _slots.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var bearer = BearerToken(request);
            if (bearer is not null && !_secret.Matches(bearer))
            {
                await RefuseAsync(response, 403, "wrong callback secret");
                return;
            }

            if (request.HttpMethod == "GET")
            {
                if (bearer is null)
                {
                    await RefuseAsync(response, 401, "the callback secret is missing (Authorization: Bearer)");
                    return;
                }

                await ReplyAsync(response, 200, _status());
                return;
            }

            if (request.HttpMethod != "POST")
            {
                await ReplyAsync(response, 405, "only POST (callbacks) and GET (status)");
                return;
            }

            if (request.ContentLength64 > CallbackBody.MaxBytes)
            {
                Reject(response, $"the body is {request.ContentLength64} bytes; the limit is {CallbackBody.MaxBytes}");
                await ReplyAsync(response, 400, $"body too large (limit {CallbackBody.MaxBytes} bytes)");
                return;
            }

            var read = ReadBodyAsync(request.InputStream, cancellationToken);
            if (await Task.WhenAny(read, Task.Delay(ReadTimeout, cancellationToken)) != read)
            {
                _log.Warning($"callback listener: a client did not send its body within {ReadTimeout.TotalSeconds:0} s; dropped");
                TryReply(response, 408, "request timeout");
                return;
            }

            var body = await read;
            if (body is null)
            {
                Reject(response, $"the body is over the limit of {CallbackBody.MaxBytes} bytes");
                await ReplyAsync(response, 400, $"body too large (limit {CallbackBody.MaxBytes} bytes)");
                return;
            }

            if (bearer is null)
            {
                var given = CallbackBody.FindSecret(body);
                if (!_secret.Matches(given))
                {
                    await RefuseAsync(response, given is null ? 401 : 403, given is null ? "the callback secret is missing" : "wrong callback secret");
                    return;
                }
            }

            var message = CallbackBody.Parse(body, out var error);
            if (message is null)
            {
                Reject(response, error!);
                await ReplyAsync(response, 400, $"malformed callback: {error}");
                return;
            }

            await ReplyAsync(response, 200, await _handler(message, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            TryReply(response, 503, "agent stopping");
        }
        catch (Exception e)
        {
            _log.Error($"callback listener: could not handle a {request.HttpMethod} request: {e.Message}");
            TryReply(response, 500, "internal error; see the agent log");
        }
    }

    private static string? BearerToken(HttpListenerRequest request)
    {
        var header = request.Headers["Authorization"];
        const string Scheme = "Bearer ";
        return header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }

    private async Task RefuseAsync(HttpListenerResponse response, int status, string why)
    {
        _log.Warning($"refused a request ({status}): {why}. Only the agent's {CallbackScript.FileName} may call; " +
            "if it was edited, restart the agent to rewrite it; otherwise find what else posts to this port.");
        response.KeepAlive = false;
        if (status == 401)
        {
            response.AddHeader("WWW-Authenticate", "Bearer");
        }

        await ReplyAsync(response, status, why);
    }

    private void Reject(HttpListenerResponse response, string why)
    {
        response.KeepAlive = false;
        _log.Warning($"rejected a callback (400): {why}. The generated {CallbackScript.FileName} always sends a valid body: " +
            "if it was edited, restart the agent to rewrite it; otherwise find what else posts to this port.");
    }

    private static async Task<byte[]?> ReadBodyAsync(Stream input, CancellationToken cancellationToken)
    {
        var buffer = new byte[CallbackBody.MaxBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await input.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return buffer[..length];
            }

            length += read;
        }

        return null;
    }

    private static async Task ReplyAsync(HttpListenerResponse response, int status, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text.EndsWith('\n') ? text : text + "\n");
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static void TryReply(HttpListenerResponse response, int status, string text)
    {
        try
        {
            response.StatusCode = status;
            response.KeepAlive = false;
            var bytes = Encoding.UTF8.GetBytes(text + "\n");
            response.ContentLength64 = bytes.Length;
            response.OutputStream.Write(bytes);
            response.Close();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpListenerException or ObjectDisposedException or IOException)
        {
            response.Abort();
        }
    }
}
