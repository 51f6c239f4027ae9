using System.Globalization;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Power;

/// <summary>
/// Power through pdudaemon's HTTP listener: <c>GET /power/control/{on|off|reboot}?hostname=&amp;port=[&amp;delay=]</c>.
/// pdudaemon answers 200 when it ran the request and 500 ("Invalid request") when the hostname is not one of its
/// PDUs or a parameter is missing. It does not report a driver's failure over HTTP (it retries and logs it).
/// </summary>
public sealed class PdudaemonPower : IPower
{
    private static readonly HttpClient SharedClient = new() { Timeout = Timeout.InfiniteTimeSpan };

    private readonly PdudaemonConfig _config;
    private readonly HttpClient _client;

    public PdudaemonPower(PdudaemonConfig config, HttpClient? client = null, TimeSpan? requestTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _client = client ?? SharedClient;
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>How long one request may take (plus the cycle delay for a reboot).</summary>
    public TimeSpan RequestTimeout { get; }

    public string Description => $"pdudaemon {_config.Hostname} port {_config.Port} at {_config.Url}";

    public Task OnAsync(CancellationToken cancellationToken) => SendAsync("on", null, cancellationToken);

    public Task OffAsync(CancellationToken cancellationToken) => SendAsync("off", null, cancellationToken);

    /// <summary>pdudaemon's <c>reboot</c>: off, <see cref="PdudaemonConfig.CycleDelay"/> (whole seconds), on.</summary>
    public Task CycleAsync(CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Ceiling(Math.Max(0, _config.CycleDelay.TotalSeconds));
        return SendAsync("reboot", seconds, cancellationToken);
    }

    internal Uri RequestUri(string request, int? delaySeconds)
    {
        var query = "hostname=" + Uri.EscapeDataString(_config.Hostname)
            + "&port=" + _config.Port.ToString(CultureInfo.InvariantCulture)
            + (delaySeconds is int d ? "&delay=" + d.ToString(CultureInfo.InvariantCulture) : string.Empty);
        var builder = new UriBuilder(_config.Url);
        var basePath = builder.Path.TrimEnd('/');
        builder.Path = basePath + "/power/control/" + request;
        builder.Query = query;
        return builder.Uri;
    }

    private async Task SendAsync(string request, int? delaySeconds, CancellationToken cancellationToken)
    {
        var uri = RequestUri(request, delaySeconds);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout + TimeSpan.FromSeconds(delaySeconds ?? 0));
        HttpResponseMessage response;
        try
        {
            response = await _client.GetAsync(uri, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PowerException(
                $"pdudaemon at {_config.Url} did not answer '{request}' for {_config.Hostname} port {_config.Port} "
                + $"within {RequestTimeout.TotalSeconds:0} s ({uri}).");
        }
        catch (HttpRequestException e)
        {
            throw new PowerException(
                $"cannot reach pdudaemon at {_config.Url} to switch {_config.Hostname} port {_config.Port} {request}: "
                + $"{e.Message} Is pdudaemon running with its HTTP listener there?",
                e);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var body = (await response.Content.ReadAsStringAsync(CancellationToken.None)).Trim();
            throw new PowerException(
                $"pdudaemon at {_config.Url} refused '{request}' for {_config.Hostname} port {_config.Port} "
                + $"(HTTP {(int)response.StatusCode}{(body.Length > 0 ? ": " + body : string.Empty)}); "
                + $"check that '{_config.Hostname}' is a PDU in pdudaemon's configuration ({uri}).");
        }
    }
}
