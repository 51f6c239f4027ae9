using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// The connection to etcd's members: its v3 API through the JSON gateway every member serves on its client port
/// (<c>POST /v3/kv/txn</c>, <c>/v3/lease/grant</c>, ... over HTTP/1.1, TLS for <c>etcds://</c>, a user's token in the
/// <c>Authorization</c> header). Calls go to one member until it fails, then to the next. <see cref="CallAsync"/>
/// retries what etcd may answer while a member is down or a leader is being elected, within
/// <see cref="EtcdLeaseOptions.RequestTimeout"/>, then fails with one message that names etcd and what to check.
/// Every call asks for a member that has a leader (etcd's <c>hasleader</c> metadata): a member cut off from the others
/// answers "no leader" at once instead of keeping a call open with nothing to say.
/// </summary>
/// <remarks>
/// Hand-written rather than a gRPC client library on purpose: dotnet-etcd with Grpc.Net.Client and Google.Protobuf
/// made the native devicetest 2.94 MB bigger than no etcd store at all (14.47 against 11.53 MB, docs/native.md); this
/// store costs 0.2 MB, as it needs only the HttpClient and System.Text.Json that devicetest links anyway.
/// </remarks>
internal sealed class EtcdConnection : IDisposable
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly HttpClient _http;
    private readonly Uri[] _members;
    private readonly SemaphoreSlim _authentication = new(1, 1);
    private int _current;
    private string? _token;

    public EtcdConnection(EtcdLeaseOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        _members = [.. options.Endpoints.Select(e => new Uri($"{(options.UseTls ? "https" : "http")}://{e}/"))];
        var handler = new SocketsHttpHandler
        {
            // A member that is down refuses a connect at once; one behind a partition does not: give up on it soon.
            ConnectTimeout = AttemptTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (options.UseTls)
        {
            ConfigureTls(handler.SslOptions, options);
        }

        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public EtcdLeaseOptions Options { get; }

    public TimeProvider Time { get; }

    public string Describe() => Options.Describe();

    public Task<JsonNode> TxnAsync(string what, JsonObject txn, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync(what, "v3/kv/txn", txn, cancellationToken, timeout);

    public Task<JsonNode> RangeAsync(string what, JsonObject range, CancellationToken cancellationToken) =>
        CallAsync(what, "v3/kv/range", range, cancellationToken);

    public Task<JsonNode> GrantAsync(string what, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        CallAsync(what, "v3/lease/grant", EtcdMessages.LeaseGrant(timeToLive), cancellationToken);

    public Task<JsonNode> RevokeAsync(string what, long lease, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        CallAsync(what, "v3/lease/revoke", EtcdMessages.Lease(lease), cancellationToken, timeout);

    /// <summary>One keep-alive of <paramref name="lease"/> (one attempt): the time to live etcd gave it, 0 when it is gone.</summary>
    /// <exception cref="EtcdCallException">The member was not reached or refused.</exception>
    public async Task<TimeSpan> KeepAliveAsync(long lease, CancellationToken cancellationToken)
    {
        using var stream = await OpenStreamAsync("v3/lease/keepalive", EtcdMessages.Lease(lease), cancellationToken).ConfigureAwait(false);
        var answer = await stream.ReadAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new EtcdCallException(EtcdCallException.Unavailable, "the keep-alive ended without an answer") { Unreached = true };

        // The answer ends right after (the request's side is closed): read to its end, so the connection is used again;
        // the answer counts even if that fails.
        try
        {
            while (await stream.ReadAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
            }
        }
        catch (Exception e) when (e is EtcdCallException or OperationCanceledException)
        {
        }

        return TimeSpan.FromSeconds(EtcdMessages.Long(answer["TTL"]));
    }

    /// <summary>Opens a watch stream with <paramref name="watch"/> (one attempt).</summary>
    /// <exception cref="EtcdCallException">The member was not reached or refused.</exception>
    public Task<EtcdStream> WatchAsync(JsonObject watch, CancellationToken cancellationToken) =>
        OpenStreamAsync("v3/watch", watch, cancellationToken);

    /// <summary>
    /// Runs one unary etcd call (idempotent: it may have been applied although its answer was lost), retrying
    /// unreachable members, leader elections and timeouts until <paramref name="timeout"/> (default
    /// <see cref="EtcdLeaseOptions.RequestTimeout"/>) runs out.
    /// </summary>
    /// <exception cref="LeaseStoreException">etcd did not answer in time, or refused the call.</exception>
    private async Task<JsonNode> CallAsync(string what, string path, JsonObject request, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var body = Encoding.UTF8.GetBytes(request.ToJsonString());
        var limit = timeout ?? Options.RequestTimeout;
        var started = Time.GetTimestamp();
        EtcdCallException? last = null;
        for (var attempt = 1; ; attempt++)
        {
            var left = limit - Time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new LeaseStoreException(
                    $"{Describe()} did not answer ({what}) within {limit.TotalSeconds:0} s{(last is null ? string.Empty : $": {Reason(last)}")}. " +
                    "Check that a majority of its members run and that this host reaches them.",
                    last!);
            }

            using var scope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            scope.CancelAfter(left < AttemptTimeout ? left : AttemptTimeout);
            try
            {
                using var response = await SendAsync(path, body, HttpCompletionOption.ResponseContentRead, scope.Token).ConfigureAwait(false);
                return await ReadAsync(response, scope.Token).ConfigureAwait(false);
            }
            catch (EtcdCallException e) when (e.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }
            catch (EtcdCallException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw Refused(what, e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                last = new EtcdCallException(EtcdCallException.DeadlineExceeded, "timed out", e);
            }

            // Every member tried once (the next one is tried at once): wait a moment before the next round.
            if (attempt % _members.Length == 0)
            {
                await Task.Delay(RetryDelay, Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A streaming call with one request: the gateway sends it on, then ends the stream's sending side (the answers go
    /// on coming). One only: over HTTP/1.1 the gateway's server may drop request lines it has not read by its first answer.
    /// </summary>
    private async Task<EtcdStream> OpenStreamAsync(string path, JsonObject request, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(request.ToJsonString());
        var response = await SendAsync(path, body, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return new EtcdStream(response);
    }

    /// <summary>POSTs <paramref name="body"/> to the current member (authenticating first when a user is set); an answer
    /// that is not a success is thrown as <see cref="EtcdCallException"/>, and a member that failed is left for the next.</summary>
    private async Task<HttpResponseMessage> SendAsync(string path, byte[] body, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var member = Volatile.Read(ref _current);
        try
        {
            var token = Options.User is null ? null : _token ?? await AuthenticateAsync(member, cancellationToken).ConfigureAwait(false);
            return await PostAsync(member, path, body, token, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (EtcdCallException e) when (e.IsExpiredToken)
        {
            _token = null;
            throw;
        }
        catch (Exception e) when (e is EtcdCallException { IsTransient: true } or OperationCanceledException)
        {
            // Unreachable, no leader, or no answer in time (or the caller gave up): the next call goes to the next member.
            Interlocked.CompareExchange(ref _current, (member + 1) % _members.Length, member);
            throw;
        }
    }

    private async Task<string> AuthenticateAsync(int member, CancellationToken cancellationToken)
    {
        await _authentication.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } current)
            {
                return current;
            }

            var body = Encoding.UTF8.GetBytes(EtcdMessages.Authenticate(Options.User!, Options.Password ?? string.Empty).ToJsonString());
            using var response = await PostAsync(member, "v3/auth/authenticate", body, null, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var answer = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
            _token = answer["token"]?.GetValue<string>() ?? throw new EtcdCallException(EtcdCallException.Unauthenticated, "authentication gave no token");
            return _token;
        }
        finally
        {
            _authentication.Release();
        }
    }

    private async Task<HttpResponseMessage> PostAsync(
        int member, string path, byte[] body, string? token, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_members[member], path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Grpc-Metadata-hasleader", "true");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new EtcdCallException(EtcdCallException.Unavailable, e.Message, e) { Unreached = true, Tls = Tls(e) };
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new EtcdCallException(EtcdCallException.Unavailable, "the connection to the member broke", e) { Unreached = true };
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw EtcdCallException.NotJson(text);
        }
        catch (JsonException e)
        {
            throw EtcdCallException.NotJson(text, e);
        }
    }

    /// <summary>The error a member answered: gRPC's status and etcd's message from the gateway's JSON, else the HTTP answer.</summary>
    private static async Task<EtcdCallException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = string.Empty;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (JsonNode.Parse(text) is JsonObject error && EtcdMessages.Long(error["code"]) is > 0 and var code)
            {
                return new EtcdCallException((int)code, (error["message"] ?? error["error"])?.GetValue<string>() ?? text);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or JsonException)
        {
        }

        var status = (int)response.StatusCode;
        return new EtcdCallException(
            status >= 500 ? EtcdCallException.Unavailable : EtcdCallException.Unknown,
            $"HTTP {status} {response.ReasonPhrase}{(text.Length > 0 ? ": " + (text.Length <= 200 ? text : text[..200]).Trim() : string.Empty)}");
    }

    /// <summary>What etcd said when it refused a call, as the store's error (no .NET exception names for the user).</summary>
    public LeaseStoreException Refused(string what, EtcdCallException e)
    {
        var detail = e.Message;
        if (e.Tls is { } tls)
        {
            return new LeaseStoreException(
                $"{Describe()}: no TLS connection for {what}: {tls.TrimEnd('.')}. Give the CA that signed etcd's certificate with " +
                "?cacert=FILE (and a client certificate with &cert=FILE&key=FILE if etcd asks for one).", e);
        }

        if (e.Code is EtcdCallException.Unauthenticated or EtcdCallException.PermissionDenied
            || detail.Contains("authentication", StringComparison.OrdinalIgnoreCase) || detail.Contains("permission denied", StringComparison.OrdinalIgnoreCase)
            || detail.Contains("user name is empty", StringComparison.OrdinalIgnoreCase))
        {
            return new LeaseStoreException(
                $"{Describe()} refused {what}: {detail}. Check the user and password (etcd://user:password@... or " +
                $"{EtcdLeaseOptions.PasswordVariable}) and that the user's role may read and write /devicetest/.", e);
        }

        if (detail.Contains("CommonName of client", StringComparison.OrdinalIgnoreCase))
        {
            // etcd's JSON API cannot sign in by a certificate's name, so with its authentication on it refuses a client
            // certificate that has one (the gRPC API would take the name as the user).
            return new LeaseStoreException(
                $"{Describe()} refused {what}: with its authentication on, it takes no client certificate with a Common Name " +
                "on its JSON API, which devicetest uses. Give a client certificate whose subject has no CN (e.g. O=devicetest) " +
                "and sign in with etcds://user:password@...", e);
        }

        if (!Options.UseTls && detail.Contains("HTTPS server", StringComparison.OrdinalIgnoreCase))
        {
            return new LeaseStoreException($"{Describe()} does not speak plain HTTP for {what}: if its members use TLS, write etcds://.", e);
        }

        return new LeaseStoreException($"{Describe()} refused {what}: {detail}.", e);
    }

    public void Dispose()
    {
        _http.Dispose();
        _authentication.Dispose();
    }

    /// <summary>What went wrong, in words.</summary>
    private string Reason(EtcdCallException e) => e switch
    {
        // A TLS port answers plain HTTP by closing the connection.
        { Unreached: true, InnerException: HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } } when !Options.UseTls =>
            "the members closed the connection without an answer (if they use TLS, write etcds://)",
        { Unreached: true } => "no member could be reached (refused, down, or out of reach)",
        { Code: EtcdCallException.DeadlineExceeded } => "the members did not answer in time (no leader, or overloaded)",
        _ => e.Message,
    };

    /// <summary>
    /// Why TLS failed, from <paramref name="error"/> and its inner exceptions: this side refused the member's certificate
    /// (an <see cref="AuthenticationException"/>), or the member refused this side's (a TLS alert from OpenSSL, such as
    /// "alert bad certificate" when no client certificate was given); null when something else failed.
    /// </summary>
    private static string? Tls(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is AuthenticationException)
            {
                return error.Message;
            }

            if (error.Message.Contains(" alert ", StringComparison.Ordinal) && error.InnerException is null)
            {
                return "the member refused the connection: " + error.Message[(error.Message.LastIndexOf(':') + 1)..].Trim();
            }
        }

        return null;
    }

    private static void ConfigureTls(SslClientAuthenticationOptions ssl, EtcdLeaseOptions options)
    {
        if (options.ClientCertificateFile is { } certificate && options.ClientKeyFile is { } key)
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(certificate, key)];
        }

        if (options.CaCertificateFile is { } caFile)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            ssl.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                presented is X509Certificate2 server && TrustedBy(server, authorities, errors);
        }
    }

    /// <summary>The server's certificate chains to one of <paramref name="authorities"/> and names the host.</summary>
    private static bool TrustedBy(X509Certificate2 server, X509Certificate2Collection authorities, SslPolicyErrors errors)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
