using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DeviceTest.Lab.Gateway;

/// <summary>
/// A device gateway for tests, written from the public API description (fiotest's client, dg-satellite's handlers):
/// Kestrel on 127.0.0.1 with mutual TLS (client certificates must chain to the test CA), <c>POST /tests</c>,
/// <c>PUT /tests/&lt;id&gt;</c>, <c>PUT /tests/&lt;id&gt;/&lt;artifact&gt;</c>, and a second plain-HTTP endpoint that
/// plays a storage service's signed URLs. Records every request in order; can be told to fail, hang or refuse,
/// and can be stopped and restarted on the same ports (held for the stand-in's life, <see cref="LoopbackPort"/>, so
/// that no other process takes them while it is stopped).
/// </summary>
public sealed partial class GatewayStandIn : IAsyncDisposable
{
    private const int MaxBody = 16 * 1024 * 1024;

    private readonly GatewayPki _pki;
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Dictionary<string, StandInTest> _tests = new(StringComparer.Ordinal);
    private readonly LoopbackPort _port;
    private readonly LoopbackPort _signedPort;
    private WebApplication? _app;
    private CancellationTokenSource _stopping = new();

    private GatewayStandIn(GatewayPki pki, LoopbackPort port, LoopbackPort signedPort)
    {
        _pki = pki;
        _port = port;
        _signedPort = signedPort;
    }

    public int Port => _port.Number;

    public int SignedPort => _signedPort.Number;

    /// <summary><c>https://127.0.0.1:port</c>: what <c>[tls] server</c> names.</summary>
    public Uri Server => new($"https://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public Uri TestsUrl => new(Server, "/tests");

    public bool IsRunning => _app is not null;

    public GatewayBehaviour Behaviour { get; set; }

    /// <summary>The status <see cref="GatewayBehaviour.Refuse"/> answers.</summary>
    public int RefuseStatus { get; set; } = 400;

    /// <summary>Per-request override: return a status to answer it with instead of handling it (or null to handle it).</summary>
    public Func<string, string, int?>? Override { get; set; }

    /// <summary>Per-request: handle it (store what it says) but cut the connection instead of answering, like an answer lost on the way.</summary>
    public Func<string, string, bool>? LoseAnswer { get; set; }

    /// <summary>Which artifacts get a signed URL on the plain-HTTP endpoint instead of a gateway URL.</summary>
    public Func<string, bool> UseSignedUrl { get; set; } = _ => false;

    /// <summary>A copy of the requests so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>A copy of the test records so far, by id.</summary>
    public IReadOnlyDictionary<string, StandInTest> Tests
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, StandInTest>(_tests, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Starts on two loopback ports held until it is disposed.</summary>
    public static async Task<GatewayStandIn> StartAsync(GatewayPki pki)
    {
        ArgumentNullException.ThrowIfNull(pki);
        var port = LoopbackPort.Reserve();
        LoopbackPort? signedPort = null;
        try
        {
            signedPort = LoopbackPort.Reserve();
            var standIn = new GatewayStandIn(pki, port, signedPort);
            await standIn.StartOnAsync().ConfigureAwait(false);
            return standIn;
        }
        catch
        {
            port.Dispose();
            signedPort?.Dispose();
            throw;
        }
    }

    /// <summary>Stops listening (open requests are cut); the records are kept.</summary>
    public async Task StopAsync()
    {
        var app = _app;
        if (app is null)
        {
            return;
        }

        _app = null;
        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _stopping = new CancellationTokenSource();
    }

    /// <summary>Starts again on the same ports.</summary>
    public async Task RestartAsync()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the stand-in is running");
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await StartOnAsync().ConfigureAwait(false);
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200).ConfigureAwait(false); // port still held by the old listener
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _port.Dispose();
        _signedPort.Dispose();
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked every 50 ms), failing after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(Func<GatewayStandIn, bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gateway stand-in: {what} did not happen within {timeout.TotalSeconds} s; requests: {string.Join(", ", Requests)}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private async Task StartOnAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production", ApplicationName = "GatewayStandIn" });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxBody;
            k.Listen(IPAddress.Loopback, Port, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = _pki.ServerCertificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (certificate, _, _) => ChainsToCa(certificate),
            }));
            k.Listen(IPAddress.Loopback, SignedPort);
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _app = app;
    }

    private bool ChainsToCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_pki.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var signedEndpoint = !request.IsHttps;
        var path = request.Path.Value ?? "/";
        RecordedRequest record;
        lock (_gate)
        {
            record = new RecordedRequest(_requests.Count, request.Method, path, request.QueryString.Value ?? string.Empty, signedEndpoint,
                context.Connection.ClientCertificate is not null, headers, body);
            _requests.Add(record);
        }

        int status;
        string answer;
        string contentType = "text/plain";
        if (!signedEndpoint && Behaviour == GatewayBehaviour.Hang)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            context.Abort();
            return;
        }

        if (!signedEndpoint && Behaviour == GatewayBehaviour.Fail)
        {
            (status, answer) = (500, "stand-in told to fail");
        }
        else if (!signedEndpoint && Behaviour == GatewayBehaviour.Refuse)
        {
            (status, answer) = (RefuseStatus, "stand-in told to refuse");
        }
        else if (Override?.Invoke(request.Method, path) is { } forced)
        {
            (status, answer) = (forced, "stand-in override");
        }
        else
        {
            (status, answer, contentType) = signedEndpoint ? HandleSigned(request, path, body) : HandleGateway(request, path, body);
        }

        if (LoseAnswer?.Invoke(request.Method, path) == true)
        {
            record.Status = -status;
            context.Abort();
            return;
        }

        record.Status = status;
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
    }

    private (int, string, string) HandleGateway(HttpRequest request, string path, byte[] body)
    {
        var parts = path.Trim('/').Split('/');
        if (request.Method == "POST" && path.TrimEnd('/') == "/tests")
        {
            return Create(request, body);
        }

        if (request.Method == "PUT" && parts is ["tests", var id])
        {
            return Complete(request, Uri.UnescapeDataString(id), body);
        }

        if (request.Method == "PUT" && parts is ["tests", var testId, var name])
        {
            return StoreArtifact(Uri.UnescapeDataString(testId), Uri.UnescapeDataString(name), body, request.ContentType, viaSignedUrl: false);
        }

        return (404, "no such endpoint", "text/plain");
    }

    private (int, string, string) HandleSigned(HttpRequest request, string path, byte[] body)
    {
        var parts = path.Trim('/').Split('/');
        if (request.Method == "PUT" && parts is ["signed", var testId, var name] && request.Query["sig"] == "stand-in")
        {
            return StoreArtifact(Uri.UnescapeDataString(testId), Uri.UnescapeDataString(name), body, request.ContentType, viaSignedUrl: true);
        }

        return (403, "bad signature or path", "text/plain");
    }

    private (int, string, string) Create(HttpRequest request, byte[] body)
    {
        string name;
        string? testId = null, target = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            name = doc.RootElement.GetProperty("name").GetString() ?? throw new FormatException("name is null");
            if (doc.RootElement.TryGetProperty("test-id", out var id))
            {
                testId = id.GetString();
            }

            if (doc.RootElement.TryGetProperty("target", out var t))
            {
                target = t.GetString();
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (400, "Failed to parse request body: " + e.Message, "text/plain");
        }

        if (!string.IsNullOrEmpty(testId) && !TestIdPattern().IsMatch(testId))
        {
            return (400, $"test-id({testId}) must match pattern: {TestIdPattern()}", "text/plain");
        }

        testId = string.IsNullOrEmpty(testId) ? Guid.NewGuid().ToString() : testId;
        lock (_gate)
        {
            if (!_tests.TryGetValue(testId, out var test))
            {
                test = new StandInTest(testId, name);
                _tests.Add(testId, test);
            }

            test.Name = name;
            test.TargetHeader = request.Headers["x-ats-target"].ToString() is { Length: > 0 } h ? h : null;
            test.TargetField = target;
            test.Creations++;
        }

        return (201, testId, "text/plain");
    }

    private (int, string, string) Complete(HttpRequest request, string id, byte[] body)
    {
        string status;
        string? details = null;
        JsonElement? results = null;
        var artifacts = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            status = root.TryGetProperty("status", out var s) ? s.GetString() ?? "PASSED" : "PASSED";
            if (root.TryGetProperty("details", out var d))
            {
                details = d.GetString();
            }

            if (root.TryGetProperty("results", out var r))
            {
                results = r.Clone();
                foreach (var result in r.EnumerateArray())
                {
                    var rs = result.GetProperty("status").GetString();
                    if (rs is not ("PASSED" or "FAILED" or "SKIPPED"))
                    {
                        return (400, $"invalid test-result status: {rs}", "text/plain");
                    }
                }
            }

            if (root.TryGetProperty("artifacts", out var a))
            {
                artifacts.AddRange(a.EnumerateArray().Select(x => x.GetString() ?? string.Empty));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (400, "Failed to parse request body: " + e.Message, "text/plain");
        }

        if (status is not ("PASSED" or "FAILED"))
        {
            return (400, $"invalid test status: {status}. Must be PASSED or FAILED", "text/plain");
        }

        lock (_gate)
        {
            if (!_tests.TryGetValue(id, out var test))
            {
                return (404, $"no test {id}", "text/plain");
            }

            test.Status = status;
            test.Details = details;
            test.Results = results;
            test.AnnouncedArtifacts = artifacts;
            test.Completions++;
        }

        var map = new StringBuilder("{");
        var host = request.Host.Value;
        for (int i = 0; i < artifacts.Count; i++)
        {
            var name = artifacts[i];
            var url = UseSignedUrl(name)
                ? $"http://127.0.0.1:{SignedPort.ToString(CultureInfo.InvariantCulture)}/signed/{Uri.EscapeDataString(id)}/{Uri.EscapeDataString(name)}?sig=stand-in"
                : $"https://{host}/tests/{Uri.EscapeDataString(id)}/{Uri.EscapeDataString(name)}";
            map.Append(i == 0 ? string.Empty : ",")
                .Append(JsonSerializer.Serialize(name, StandInJson.Default.String)).Append(":{\"url\":")
                .Append(JsonSerializer.Serialize(url, StandInJson.Default.String)).Append(",\"content-type\":")
                .Append(JsonSerializer.Serialize(GuessContentType(name), StandInJson.Default.String)).Append('}');
        }

        return (200, map.Append('}').ToString(), "application/json");
    }

    private (int, string, string) StoreArtifact(string id, string name, byte[] body, string? contentType, bool viaSignedUrl)
    {
        lock (_gate)
        {
            if (!_tests.TryGetValue(id, out var test))
            {
                return (404, $"no test {id}", "text/plain");
            }

            if (test.Artifacts.TryGetValue(name, out var earlier))
            {
                test.Artifacts[name] = new StandInArtifact(body, contentType, viaSignedUrl) { Uploads = earlier.Uploads + 1 };
            }
            else
            {
                test.Artifacts[name] = new StandInArtifact(body, contentType, viaSignedUrl);
            }
        }

        return (200, "OK", "text/plain");
    }

    private static string GuessContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".log" or ".txt" => "text/plain",
        ".json" => "application/json",
        ".xml" => "application/xml",
        _ => "application/octet-stream",
    };

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{15,48}$")]
    private static partial Regex TestIdPattern();
}
