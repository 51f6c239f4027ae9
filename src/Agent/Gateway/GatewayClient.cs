using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace DeviceTest.Agent.Gateway;

/// <summary>
/// The device gateway's test API over mutual TLS: <c>POST /tests</c>, <c>PUT /tests/&lt;id&gt;</c>, and artifact
/// uploads (over mTLS to gateway URLs, plain PUT to signed URLs). The server certificate is checked against
/// <c>root.crt</c> only, and its name against the host in <c>[tls] server</c>.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    private const int MaxAnswerBytes = 1024 * 1024;
    private const string TargetHeader = "x-ats-target";

    private readonly GatewayClientOptions _options;
    private readonly HttpClient _gateway;
    private readonly HttpClient _plain;
    private readonly X509Certificate2 _clientCertificate;
    private readonly X509Certificate2Collection _trust;

    /// <exception cref="SotaConfigException">The certificates or the key cannot be loaded.</exception>
    public GatewayClient(SotaConfig config, GatewayClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _options = options ?? new GatewayClientOptions();
        TestsUrl = config.TestsUrl;

        _trust = new X509Certificate2Collection();
        try
        {
            _trust.ImportFromPemFile(config.CaCertificatePath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new SotaConfigException($"{config.CaCertificatePath} cannot be loaded as a PEM CA certificate: {e.Message}. Restore it from the device's registration.", e);
        }

        if (_trust.Count == 0)
        {
            throw new SotaConfigException($"{config.CaCertificatePath} holds no PEM certificate (-----BEGIN CERTIFICATE-----). Restore it from the device's registration.");
        }

        var chain = new X509Certificate2Collection();
        try
        {
            _clientCertificate = X509Certificate2.CreateFromPemFile(config.ClientCertificatePath, config.ClientKeyPath);
            chain.ImportFromPemFile(config.ClientCertificatePath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            DisposeAll(_trust);
            throw new SotaConfigException(
                $"{config.ClientCertificatePath} with key {config.ClientKeyPath} cannot be loaded: {e.Message}. Both must be PEM files "
                + "and the key must belong to the certificate; restore them from the device's registration.", e);
        }

        var intermediates = new X509Certificate2Collection();
        for (int i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        chain[0].Dispose();

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(_trust);

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificateContext = SslStreamCertificateContext.Create(_clientCertificate, intermediates, offline: true),
                CertificateChainPolicy = policy,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            },
        };
        _gateway = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _plain = new HttpClient(new SocketsHttpHandler { ConnectTimeout = _options.ConnectTimeout, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The gateway's <c>/tests</c> URL.</summary>
    public Uri TestsUrl { get; }

    /// <summary><c>POST /tests</c>. Returns the id the gateway gave the record (normally <paramref name="testId"/>).</summary>
    /// <exception cref="GatewayException">The gateway did not answer 201 with an id.</exception>
    public async Task<string> CreateTestAsync(string testId, string name, string? targetName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(testId);
        ArgumentNullException.ThrowIfNull(name);
        var body = new TestCreateBody { Name = name, TestId = testId };
        return await CreateTestAsync(body, targetName, targetHeader: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>PUT /tests/&lt;id&gt;</c>. Returns where each artifact should be uploaded.</summary>
    /// <exception cref="GatewayException">The gateway did not answer 200 with a JSON map.</exception>
    public Task<IReadOnlyDictionary<string, GatewayArtifactUrl>> CompleteTestAsync(string gatewayTestId, GatewayTestCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gatewayTestId);
        ArgumentNullException.ThrowIfNull(completion);
        return CompleteTestAsync(gatewayTestId, WireFormat.ToBody(completion, AgentLog.None), cancellationToken);
    }

    /// <summary>Uploads one file to where <see cref="CompleteTestAsync(string, GatewayTestCompletion, CancellationToken)"/> said.</summary>
    /// <exception cref="GatewayException">The upload was not answered with 200 or 201.</exception>
    public async Task UploadArtifactAsync(GatewayArtifactUrl destination, string filePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(filePath);
        if (!Uri.TryCreate(destination.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new GatewayException(GatewayFailureKind.BadAnswer, null, $"the gateway gave '{destination.Url}' as the upload URL for {Path.GetFileName(filePath)}, which is not an http(s) URL");
        }

        bool viaGateway = IsGatewayUrl(url);
        var what = $"uploading artifact {Path.GetFileName(filePath)} to {(viaGateway ? url.GetLeftPart(UriPartial.Path) : url.GetLeftPart(UriPartial.Authority) + " (signed URL)")}";
        var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StreamContent(stream) };
            request.Content.Headers.ContentLength = stream.Length;
            if (!string.IsNullOrEmpty(destination.ContentType) && MediaTypeHeaderValue.TryParse(destination.ContentType, out var type))
            {
                request.Content.Headers.ContentType = type;
            }

            var (status, answer) = await SendAsync(viaGateway ? _gateway : _plain, request, _options.ArtifactTimeout, what, cancellationToken).ConfigureAwait(false);
            if (status is not (200 or 201))
            {
                throw Unexpected(status, answer, what, "200 or 201");
            }
        }
    }

    public void Dispose()
    {
        _gateway.Dispose();
        _plain.Dispose();
        _clientCertificate.Dispose();
        DisposeAll(_trust);
    }

    internal bool IsGatewayUrl(Uri url) => url.AbsoluteUri.StartsWith(TestsUrl.AbsoluteUri, StringComparison.OrdinalIgnoreCase);

    /// <param name="body">The record's name and id.</param>
    /// <param name="targetName">The Target name for the body's <c>target</c> field, as it is.</param>
    /// <param name="targetHeader">The <c>x-ats-target</c> value (<see cref="WireFormat.TargetHeaderValue"/>); null: made from <paramref name="targetName"/>.</param>
    /// <param name="cancellationToken">Stops the request.</param>
    internal async Task<string> CreateTestAsync(TestCreateBody body, string? targetName, string? targetHeader, CancellationToken cancellationToken)
    {
        var send = new TestCreateBody
        {
            Name = body.Name,
            TestId = body.TestId,
            Target = _options.TargetName != TargetNameSending.Header ? targetName : null,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, TestsUrl)
        {
            Content = JsonContent(GatewayJson.Write(send)),
        };
        var what = $"creating test record '{body.Name}' ({body.TestId}) with POST {TestsUrl}";
        if (_options.TargetName != TargetNameSending.Body && !string.IsNullOrEmpty(targetName))
        {
            var header = targetHeader ?? WireFormat.TargetHeaderValue(targetName);
            if (!WireFormat.IsHeaderSafe(header))
            {
                throw new GatewayException(GatewayFailureKind.ClientError, null, $"{what}: the {TargetHeader} header value '{Shorten(header)}' is not printable ASCII, which HTTP headers cannot carry");
            }

            request.Headers.TryAddWithoutValidation(TargetHeader, header);
        }

        var (status, answer) = await SendAsync(_gateway, request, _options.RequestTimeout, what, cancellationToken).ConfigureAwait(false);
        if (status != 201)
        {
            throw Unexpected(status, answer, what, "201");
        }

        var id = answer.Trim().Trim('"');
        if (id.Length == 0)
        {
            return body.TestId;
        }

        if (id.Length > 128 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new GatewayException(GatewayFailureKind.BadAnswer, status, $"{what}: the gateway answered 201 but with '{Shorten(id)}' instead of a test id");
        }

        return id;
    }

    internal async Task<IReadOnlyDictionary<string, GatewayArtifactUrl>> CompleteTestAsync(string gatewayTestId, TestCompleteBody body, CancellationToken cancellationToken)
    {
        var url = new Uri(TestsUrl.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(gatewayTestId));
        using var request = new HttpRequestMessage(HttpMethod.Put, url)
        {
            Content = JsonContent(GatewayJson.Write(body)),
        };
        var what = $"completing test record {gatewayTestId} ({body.Status}) with PUT {url}";
        var (status, answer) = await SendAsync(_gateway, request, _options.RequestTimeout, what, cancellationToken).ConfigureAwait(false);
        if (status != 200)
        {
            throw Unexpected(status, answer, what, "200");
        }

        if (string.IsNullOrWhiteSpace(answer))
        {
            return new Dictionary<string, GatewayArtifactUrl>();
        }

        try
        {
            var map = GatewayJson.ReadArtifactUrls(answer);
            return map ?? new Dictionary<string, GatewayArtifactUrl>();
        }
        catch (JsonException e)
        {
            throw new GatewayException(GatewayFailureKind.BadAnswer, status, $"{what}: the gateway answered 200 but not with a JSON map of artifact URLs: {Shorten(answer)}", e);
        }
    }

    private static ByteArrayContent JsonContent(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<(int Status, string Answer)> SendAsync(HttpClient http, HttpRequestMessage request, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            var answer = await ReadLimitedAsync(response.Content, cts.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, answer);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GatewayException(GatewayFailureKind.Timeout, null, $"{what}: no answer within {FormatTime(timeout)}", e);
        }
        catch (HttpRequestException e) when (FindAuthentication(e) is { } tls)
        {
            throw new GatewayException(
                GatewayFailureKind.Tls, null,
                $"{what}: the TLS handshake failed ({tls.Message}). The gateway's certificate must chain to root.crt and name the host in [tls] server, and it must accept client.pem",
                e);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.Unknown && e.InnerException is null)
        {
            // Thrown by the client itself before anything was sent (e.g. "Request headers must contain only ASCII
            // characters"): the same request fails the same way every time.
            throw new GatewayException(GatewayFailureKind.ClientError, null, $"{what}: the request cannot be sent: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;
            throw new GatewayException(GatewayFailureKind.Unreachable, null, $"{what}: {reason}", e);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            throw new GatewayException(GatewayFailureKind.ClientError, null, $"{what}: the request cannot be sent: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new GatewayException(GatewayFailureKind.Unreachable, null, $"{what}: {e.Message}", e);
        }
    }

    private static AuthenticationException? FindAuthentication(Exception e)
    {
        for (var x = e.InnerException; x is not null; x = x.InnerException)
        {
            if (x is AuthenticationException a)
            {
                return a;
            }
        }

        return null;
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxAnswerBytes];
            int total = 0;
            while (total < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    private static GatewayException Unexpected(int status, string answer, string what, string expected)
    {
        var kind = status switch
        {
            408 or 429 or >= 500 => GatewayFailureKind.ServerError,
            409 => GatewayFailureKind.Conflict,
            >= 400 => GatewayFailureKind.Refused,
            _ => GatewayFailureKind.BadAnswer,
        };
        var text = string.IsNullOrWhiteSpace(answer) ? string.Empty : ": " + Shorten(answer.Trim());
        return new GatewayException(kind, status, $"{what}: the gateway answered {status} {ReasonPhrase(status)} (expected {expected}){text}");
    }

    private static string ReasonPhrase(int status) =>
        Enum.IsDefined((HttpStatusCode)status) ? ((HttpStatusCode)status).ToString() : string.Empty;

    private static void DisposeAll(X509Certificate2Collection certificates)
    {
        foreach (var c in certificates)
        {
            c.Dispose();
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private static string FormatTime(TimeSpan t) =>
        t.TotalSeconds >= 1 ? t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s" : t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
