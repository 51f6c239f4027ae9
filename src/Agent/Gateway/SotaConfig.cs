using DeviceTest.Agent.Gateway.Toml;

namespace DeviceTest.Agent.Gateway;

/// <summary>
/// Where the device gateway is and which certificates prove this device: <c>[tls] server</c> from aktualizr-lite's
/// <c>sota.toml</c>, and <c>root.crt</c>, <c>client.pem</c>, <c>pkey.pem</c> from the sota directory (or the paths
/// in <c>[import]</c> when it names them).
/// </summary>
public sealed class SotaConfig
{
    public const string FileName = "sota.toml";

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

    /// <summary>Reads <c>&lt;sotaDirectory&gt;/sota.toml</c> and checks that the certificate files exist.</summary>
    /// <exception cref="SotaConfigException">Anything is missing or wrong; the message says what to do.</exception>
    public static SotaConfig Load(string sotaDirectory)
    {
        ArgumentNullException.ThrowIfNull(sotaDirectory);
        return Load(sotaDirectory, Path.Combine(sotaDirectory, FileName));
    }

    /// <summary>Reads the given <c>sota.toml</c>; relative certificate paths are taken from <paramref name="sotaDirectory"/>.</summary>
    /// <exception cref="SotaConfigException">Anything is missing or wrong; the message says what to do.</exception>
    public static SotaConfig Load(string sotaDirectory, string configPath)
    {
        ArgumentNullException.ThrowIfNull(sotaDirectory);
        ArgumentNullException.ThrowIfNull(configPath);
        if (!File.Exists(configPath))
        {
            throw new SotaConfigException(
                $"{configPath} not found: the agent reads the device gateway's address from it. Register the device with its Factory "
                + "(lmp-device-register), or point --sota-dir at the folder that holds sota.toml (usually /var/sota).");
        }

        TomlDocument doc;
        try
        {
            doc = TomlDocument.Load(configPath);
        }
        catch (TomlException e)
        {
            throw new SotaConfigException($"{e.Message}. Fix {configPath} (it is TOML, as aktualizr-lite reads it).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SotaConfigException($"{configPath} cannot be read: {e.Message}. The agent needs read access to the sota directory.", e);
        }

        return FromDocument(doc, sotaDirectory);
    }

    /// <summary>Reads an already parsed <c>sota.toml</c>.</summary>
    /// <exception cref="SotaConfigException">Anything is missing or wrong; the message says what to do.</exception>
    public static SotaConfig FromDocument(TomlDocument document, string sotaDirectory)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(sotaDirectory);
        var file = document.SourceName;
        var tls = document.GetTable("tls");
        if (tls is null)
        {
            throw new SotaConfigException(
                $"{file}: no [tls] section. The agent reports to the device gateway named by [tls] server = \"https://...\"; "
                + "register the device (lmp-device-register) or add the section, or run the agent with --dry-run.");
        }

        var serverText = GetString(tls, "server", file)
            ?? throw new SotaConfigException(
                $"{file}:{tls.Line}:{tls.Column}: [tls] has no server = \"https://...\"; add the device gateway's address "
                + "(for Foundries.io: https://ota-lite.foundries.io:8443), or run the agent with --dry-run.");
        tls.TryGetValue("server", out var serverValue);
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || server.Scheme != Uri.UriSchemeHttps)
        {
            throw new SotaConfigException(
                $"{file}:{serverValue.Line}:{serverValue.Column}: [tls] server = \"{serverText}\" is not an https:// URL; the device gateway is reached over mutual TLS.");
        }

        foreach (var key in new[] { "pkey_source", "cert_source", "ca_source" })
        {
            var source = GetString(tls, key, file);
            if (source is not null && !string.Equals(source, "file", StringComparison.Ordinal))
            {
                tls.TryGetValue(key, out var v);
                throw new SotaConfigException(
                    $"{file}:{v.Line}:{v.Column}: [tls] {key} = \"{source}\": keys or certificates in a PKCS#11 token (HSM) are not supported "
                    + "by devicetest agent; only files are. Provision the device with file keys (root.crt, client.pem, pkey.pem), or run with --dry-run.");
            }
        }

        var import = document.GetTable("import");
        var baseDirectory = sotaDirectory;
        string? caPath = null, certPath = null, keyPath = null;
        if (import is not null)
        {
            var basePath = GetString(import, "base_path", file);
            if (!string.IsNullOrEmpty(basePath))
            {
                baseDirectory = Path.Combine(sotaDirectory, basePath);
            }

            caPath = GetString(import, "tls_cacert_path", file);
            certPath = GetString(import, "tls_clientcert_path", file);
            keyPath = GetString(import, "tls_pkey_path", file);
        }

        var ca = Resolve(caPath, "root.crt");
        var cert = Resolve(certPath, "client.pem");
        var key2 = Resolve(keyPath, "pkey.pem");
        RequireFile(ca, "the CA the device gateway's certificate is checked against", "tls_cacert_path", file);
        RequireFile(cert, "the device's client certificate", "tls_clientcert_path", file);
        RequireFile(key2, "the device's private key", "tls_pkey_path", file);
        return new SotaConfig(server, ca, cert, key2);

        string Resolve(string? configured, string defaultName) =>
            string.IsNullOrEmpty(configured) ? Path.Combine(sotaDirectory, defaultName) : Path.Combine(baseDirectory, configured);
    }

    private static string? GetString(TomlTable table, string key, string file)
    {
        if (!table.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value.Kind != TomlValueKind.Text)
        {
            var section = table.Path.Length == 0 ? string.Empty : $"[{table.Path}] ";
            throw new SotaConfigException($"{file}:{value.Line}:{value.Column}: {section}{key} must be a quoted string, found {value}.");
        }

        return value.AsString();
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
