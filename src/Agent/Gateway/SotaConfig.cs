using DeviceTest.Agent.Gateway.Config;

namespace DeviceTest.Agent.Gateway;

/// <summary>
/// Where the device gateway is and which certificates prove this device: <c>[tls] server</c> from aktualizr-lite's
/// configuration (<c>sota.toml</c> and the conf.d fragments, merged as aktualizr does: <see cref="AktualizrConfig"/>),
/// and <c>root.crt</c>, <c>client.pem</c>, <c>pkey.pem</c> from the sota directory (or the paths in <c>[import]</c>
/// when it names them).
/// </summary>
public sealed class SotaConfig
{
    public const string FileName = "sota.toml";

    /// <summary>aktualizr's system-wide fragments (LmP), read before <c>sota.toml</c>.</summary>
    public const string SystemConfDirectory = "/usr/lib/sota/conf.d";

    public SotaConfig(Uri server, string caCertificatePath, string clientCertificatePath, string clientKeyPath)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(caCertificatePath);
        ArgumentNullException.ThrowIfNull(clientCertificatePath);
        ArgumentNullException.ThrowIfNull(clientKeyPath);
        Server = server;
        CaCertificatePath = caCertificatePath;
        ClientCertificatePath = clientCertificatePath;
        ClientKeyPath = clientKeyPath;
    }

    /// <summary>The device gateway, e.g. <c>https://ota-lite.foundries.io:8443</c>.</summary>
    public Uri Server { get; }

    /// <summary><see cref="Server"/> + <c>/tests</c>.</summary>
    public Uri TestsUrl => new(Server.AbsoluteUri.TrimEnd('/') + "/tests");

    /// <summary>The only CA the gateway's server certificate is checked against.</summary>
    public string CaCertificatePath { get; }

    /// <summary>The device's client certificate (PEM; more certificates after the first are sent as its chain).</summary>
    public string ClientCertificatePath { get; }

    /// <summary>The device's private key (PEM).</summary>
    public string ClientKeyPath { get; }

    /// <summary>Reads <c>&lt;sotaDirectory&gt;/sota.toml</c> alone and checks that the certificate files exist.</summary>
    /// <exception cref="SotaConfigException">Anything is missing or wrong; the message says what to do.</exception>
    public static SotaConfig Load(string sotaDirectory) => Load(sotaDirectory, confDirectory: null);

    /// <summary>
    /// Reads aktualizr-lite's configuration as aktualizr merges it (<see cref="AktualizrConfig"/>):
    /// <paramref name="systemConfDirectory"/> (LmP: <see cref="SystemConfDirectory"/>), then
    /// <c>&lt;sotaDirectory&gt;/sota.toml</c>, then <paramref name="confDirectory"/> (<c>/etc/sota/conf.d</c>), and checks
    /// that the certificate files exist. Relative certificate paths are taken from <paramref name="sotaDirectory"/>.
    /// </summary>
    /// <exception cref="SotaConfigException">Anything is missing or wrong; the message says what to do.</exception>
    public static SotaConfig Load(string sotaDirectory, string? confDirectory, string? systemConfDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(sotaDirectory);
        var configPath = Path.Combine(sotaDirectory, FileName);
        if (!File.Exists(configPath))
        {
            throw new SotaConfigException(
                $"{configPath} not found: the agent reads the device gateway's address from it. Register the device with its Factory "
                + "(lmp-device-register), or point --sota-dir at the folder that holds sota.toml (usually /var/sota).");
        }

        AktualizrConfig config;
        string[] locations = [.. new[] { systemConfDirectory, configPath, confDirectory }.OfType<string>()];
        try
        {
            config = AktualizrConfig.Load(locations);
        }
        catch (AktualizrConfigException e)
        {
            throw new SotaConfigException($"{e.Message}. Fix {e.SourceName}.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SotaConfigException($"{string.Join(", ", locations)} cannot be read: {e.Message}. The agent needs read access to aktualizr-lite's configuration.", e);
        }

        return FromConfig(config, sotaDirectory);
    }

    /// <summary>Reads an already merged configuration.</summary>
    /// <exception cref="SotaConfigException">Anything is missing or wrong; the message says what to do.</exception>
    public static SotaConfig FromConfig(AktualizrConfig config, string sotaDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(sotaDirectory);
        var files = string.Join(", ", config.Files.Select(f => f.SourceName));
        var tls = config.SectionPosition("tls")
            ?? throw new SotaConfigException(
                $"{files}: no [tls] section. The agent reports to the device gateway named by [tls] server = \"https://...\"; "
                + "register the device (lmp-device-register) or add the section, or run the agent with --dry-run.");

        var serverSetting = config.Find("tls", "server")
            ?? throw new SotaConfigException(
                $"{tls}: [tls] has no server = \"https://...\"; add the device gateway's address "
                + "(for Foundries.io: https://ota-lite.foundries.io:8443), or run the agent with --dry-run.");
        var serverText = serverSetting.Value;
        // A blank is never part of a URL (curl, which aktualizr-lite uses, refuses one), though Uri may escape it.
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || server.Scheme != Uri.UriSchemeHttps
            || serverText.AsSpan().IndexOfAny(' ', '\t') >= 0)
        {
            throw new SotaConfigException(
                $"{serverSetting.Position}: [tls] server = \"{serverText}\" is not an https:// URL; the device gateway is reached over mutual TLS."
                + (serverText.Contains('#', StringComparison.Ordinal) || serverText.Contains(';', StringComparison.Ordinal)
                    ? " aktualizr-lite keeps a comment after a value as part of the value: put the comment on a line of its own."
                    : string.Empty));
        }

        // aktualizr reads exactly "pkcs11" as a token and anything else ("file", "File", a typo) as files; so does the agent.
        foreach (var key in new[] { "pkey_source", "cert_source", "ca_source" })
        {
            if (config.Find("tls", key) is { } setting && string.Equals(setting.Value, "pkcs11", StringComparison.Ordinal))
            {
                throw new SotaConfigException(
                    $"{setting.Position}: [tls] {key} = \"{setting.Value}\": keys or certificates in a PKCS#11 token (HSM) are not supported "
                    + "by devicetest agent; only files are. Provision the device with file keys (root.crt, client.pem, pkey.pem), or run with --dry-run.");
            }
        }

        var baseDirectory = sotaDirectory;
        var basePath = config.Find("import", "base_path")?.Value;
        if (!string.IsNullOrEmpty(basePath))
        {
            baseDirectory = Path.Combine(sotaDirectory, basePath);
        }

        var ca = Resolve(config.Find("import", "tls_cacert_path")?.Value, "root.crt");
        var cert = Resolve(config.Find("import", "tls_clientcert_path")?.Value, "client.pem");
        var key2 = Resolve(config.Find("import", "tls_pkey_path")?.Value, "pkey.pem");
        RequireFile(ca, "the CA the device gateway's certificate is checked against", "tls_cacert_path", files);
        RequireFile(cert, "the device's client certificate", "tls_clientcert_path", files);
        RequireFile(key2, "the device's private key", "tls_pkey_path", files);
        return new SotaConfig(server, ca, cert, key2);

        string Resolve(string? configured, string defaultName) =>
            string.IsNullOrEmpty(configured) ? Path.Combine(sotaDirectory, defaultName) : Path.Combine(baseDirectory, configured);
    }

    private static void RequireFile(string path, string what, string importKey, string configFile)
    {
        if (!File.Exists(path))
        {
            throw new SotaConfigException(
                $"{path} not found: {what}. Register the device (lmp-device-register), point --sota-dir at the folder that holds it, "
                + $"or set [import] {importKey} in {configFile}.");
        }
    }
}
