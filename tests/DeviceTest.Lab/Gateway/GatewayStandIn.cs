using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
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
public sealed class GatewayStandIn : IAsyncDisposable
{
    private const int MaxBody = 16 * 1024 * 1024;

    private readonly GatewayPki _pki;
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly StandInTestApi _api;
    private readonly LoopbackPort _port;
    private readonly LoopbackPort _signedPort;
    private WebApplication? _app;
    private CancellationTokenSource _stopping = new();

    private GatewayStandIn(GatewayPki pki, LoopbackPort port, LoopbackPort signedPort)
    {
        _pki = pki;
        _port = port;
        _signedPort = signedPort;
        _api = new StandInTestApi(signedPort.Number, name => UseSignedUrl(name));
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
    public IReadOnlyDictionary<string, StandInTest> Tests => _api.Tests;

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
            (status, answer, contentType) = signedEndpoint ? _api.HandleSigned(request, path, body) : _api.HandleGateway(request, path, body);
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

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
