using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary><c>power: { pdudaemon: { url, hostname, port } }</c>: pdudaemon's HTTP API.</summary>
public sealed class PdudaemonConfig
{
    private static readonly TimeSpan DefaultCycleDelay = TimeSpan.FromSeconds(1);
    private static readonly string[] Keys = ["url", "hostname", "port", "cycle_delay"];

    public required Uri Url { get; init; }

    public required string Hostname { get; init; }

    public required int Port { get; init; }

    public TimeSpan CycleDelay { get; init; } = DefaultCycleDelay;

    /// <summary>Reads <c>power.pdudaemon: { url, hostname, port, cycle_delay }</c>; null after an error.</summary>
    internal static PdudaemonConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var urlText = map.Text("url", required: true);
        var hostname = map.Text("hostname", required: true);
        var port = map.Number("port", 0, required: true);
        var delay = map.Duration("cycle_delay");
        var url = urlText is null ? null : ParseUrl(map, urlText);
        if (url is null || hostname is null || port is null)
        {
            return null;
        }

        return new PdudaemonConfig { Url = url, Hostname = hostname, Port = port.Value, CycleDelay = delay ?? DefaultCycleDelay };
    }

    private static Uri? ParseUrl(YamlMappingReader map, string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) &&
            (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) &&
            url.Host.Length > 0)
        {
            return url;
        }

        map.Document.Error(map.Get("url")!, DeviceFileErrorCodes.BadUrl,
            $"pdudaemon `url` must be an absolute http:// or https:// URL such as http://127.0.0.1:16421, not `{text}`");
        return null;
    }
}
