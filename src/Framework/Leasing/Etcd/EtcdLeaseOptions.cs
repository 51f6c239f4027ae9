using System.Globalization;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// Where etcd is and how to talk to it, from a leases URL:
/// <c>etcd://h1:2379,h2:2379,h3:2379</c> (plain), <c>etcds://...</c> (TLS), optionally
/// <c>etcd://user:password@h1:2379,...</c> and a query: <c>ttl=10s</c> (the run's lease time to live),
/// <c>cacert=FILE</c> (a CA bundle to trust instead of the system's), <c>cert=FILE&amp;key=FILE</c> (a client
/// certificate, PEM). A user without a password in the URL takes it from <c>DEVICETEST_LEASES_PASSWORD</c>.
/// </summary>
public sealed record EtcdLeaseOptions
{
    /// <summary>The password of <see cref="User"/> when the URL has none (keeps it out of runsettings files).</summary>
    public const string PasswordVariable = "DEVICETEST_LEASES_PASSWORD";

    /// <summary>The run's lease time to live when the URL gives none.</summary>
    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ShortestTimeToLive = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LongestTimeToLive = TimeSpan.FromMinutes(5);

    /// <summary>host:port of each member.</summary>
    public required IReadOnlyList<string> Endpoints { get; init; }

    public bool UseTls { get; init; }

    public string? User { get; init; }

    public string? Password { get; init; }

    public string? CaCertificateFile { get; init; }

    public string? ClientCertificateFile { get; init; }

    public string? ClientKeyFile { get; init; }

    /// <summary>The run's etcd lease time to live: a dead run frees its devices this long after it died.</summary>
    public TimeSpan TimeToLive { get; init; } = DefaultTimeToLive;

    /// <summary>How long one etcd request may take, retries included, before the store gives up on etcd.</summary>
    public TimeSpan RequestTimeout => TimeToLive;

    /// <summary>"etcd at h1:2379,h2:2379" (TLS: "etcds at ..."): never credentials.</summary>
    public string Describe() => $"{(UseTls ? "etcds" : "etcd")} at {string.Join(",", Endpoints)}";

    /// <summary>Whether <paramref name="text"/> names etcd (etcd:// or etcds://).</summary>
    public static bool IsEtcdUrl(string text) =>
        text.StartsWith("etcd://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("etcds://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a leases URL.</summary>
    /// <exception cref="FormatException">The URL is malformed; the message says what and how to write it.</exception>
    public static EtcdLeaseOptions Parse(string url, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        environment ??= Environment.GetEnvironmentVariable;
        var tls = url.StartsWith("etcds://", StringComparison.OrdinalIgnoreCase);
        if (!tls && !url.StartsWith("etcd://", StringComparison.OrdinalIgnoreCase))
        {
            throw Bad(url, "it must start with etcd:// or etcds://");
        }

        var rest = url[(tls ? "etcds://" : "etcd://").Length..];
        var query = string.Empty;
        var queryAt = rest.IndexOf('?', StringComparison.Ordinal);
        if (queryAt >= 0)
        {
            query = rest[(queryAt + 1)..];
            rest = rest[..queryAt];
        }

        rest = rest.TrimEnd('/');
        string? user = null;
        string? password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = rest[..at];
            rest = rest[(at + 1)..];
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon >= 0 ? credentials[..colon] : credentials);
            password = colon >= 0 ? Uri.UnescapeDataString(credentials[(colon + 1)..]) : environment(PasswordVariable);
            if (user.Length == 0)
            {
                throw Bad(url, "the user before '@' is empty");
            }

            if (string.IsNullOrEmpty(password))
            {
                throw Bad(url, $"user '{user}' has no password: write etcd://{user}:PASSWORD@... or set {PasswordVariable}");
            }
        }

        var endpoints = rest.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(e => Endpoint(url, e)).ToList();
        if (endpoints.Count == 0)
        {
            throw Bad(url, "it names no etcd member (write etcd://h1:2379,h2:2379,h3:2379)");
        }

        var options = new EtcdLeaseOptions { Endpoints = endpoints, UseTls = tls, User = user, Password = password };
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals >= 0 ? pair[..equals] : pair;
            var value = equals >= 0 ? Uri.UnescapeDataString(pair[(equals + 1)..]) : string.Empty;
            options = name switch
            {
                "ttl" => WithTimeToLive(options, url, value),
                "cacert" => options with { CaCertificateFile = RequireValue(url, name, value) },
                "cert" => options with { ClientCertificateFile = RequireValue(url, name, value) },
                "key" => options with { ClientKeyFile = RequireValue(url, name, value) },
                _ => throw Bad(url, $"unknown setting '{name}' (known: ttl, cacert, cert, key)"),
            };
        }

        if ((options.ClientCertificateFile is null) != (options.ClientKeyFile is null))
        {
            throw Bad(url, "a client certificate needs both cert=FILE and key=FILE");
        }

        if (!tls && (options.CaCertificateFile ?? options.ClientCertificateFile) is not null)
        {
            throw Bad(url, "cacert, cert and key need TLS: write etcds://");
        }

        return options;
    }

    private static EtcdLeaseOptions WithTimeToLive(EtcdLeaseOptions options, string url, string value)
    {
        if (!DurationText.TryParse(value, out var ttl) || ttl < ShortestTimeToLive || ttl > LongestTimeToLive || ttl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw Bad(url, $"ttl '{value}' must be whole seconds from {ShortestTimeToLive.TotalSeconds:0}s to {LongestTimeToLive.TotalMinutes:0}m (e.g. ttl=10s)");
        }

        return options with { TimeToLive = ttl };
    }

    private static string RequireValue(string url, string name, string value) =>
        value.Length > 0 ? value : throw Bad(url, $"{name}= needs a file");

    private static string Endpoint(string url, string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Bad(url, $"member '{text}' needs host:port (etcd's client port, usually 2379)");
        }

        return text;
    }

    // The URL may hold a password: messages show only the part after '@'.
    private static FormatException Bad(string url, string why)
    {
        var at = url.LastIndexOf('@');
        var shown = at >= 0 ? url[..(url.IndexOf("//", StringComparison.Ordinal) + 2)] + "***@" + url[(at + 1)..] : url;
        return new FormatException($"the leases URL '{shown}' is not valid: {why}.");
    }
}
