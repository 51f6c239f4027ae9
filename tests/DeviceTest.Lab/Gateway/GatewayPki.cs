using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DeviceTest.Lab.Gateway;

/// <summary>
/// A throwaway PKI for the device gateway stand-in (and the etcd cluster with TLS): a CA, a server certificate for
/// 127.0.0.1/localhost (usable as a client certificate too, as etcd's JSON gateway uses its member's) and a device client
/// certificate, all made in memory with <see cref="CertificateRequest"/> (ECDSA P-256); more client certificates on request.
/// </summary>
public sealed class GatewayPki : IDisposable
{
    private GatewayPki(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Ca = ca;
        ServerCertificate = server;
        ClientCertificate = client;
    }

    /// <summary>The CA (with its key).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The gateway's certificate (with its key).</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The device's certificate (with its key).</summary>
    public X509Certificate2 ClientCertificate { get; }

    /// <param name="name">The CA's common name.</param>
    /// <param name="serverNames">DNS names and IP addresses the server certificate is for.</param>
    public static GatewayPki Create(string name = "DeviceTest gateway test CA", params string[] serverNames)
    {
        if (serverNames.Length == 0)
        {
            serverNames = ["127.0.0.1", "localhost"];
        }

        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = Reload(caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1)));

        var server = Issue(ca, "CN=gateway", serverNames, [ServerAuth, ClientAuth], now);
        var client = Issue(ca, "CN=device-" + Guid.NewGuid().ToString("N")[..8] + ", OU=test-factory", [], [ClientAuth], now);
        return new GatewayPki(ca, server, client);
    }

    /// <summary>Another client certificate (with its key) signed by the CA, for <paramref name="subject"/> (e.g. <c>O=devicetest</c>, without a CN).</summary>
    public X509Certificate2 IssueClient(string subject) => Issue(Ca, subject, [], [ClientAuth], DateTimeOffset.UtcNow);

    /// <summary>Writes <c>root.crt</c>, <c>client.pem</c>, <c>pkey.pem</c> and a <c>sota.toml</c> with <c>[tls] server</c> into <paramref name="directory"/>.</summary>
    /// <param name="sotaToml">The whole <c>sota.toml</c> text; null writes a typical aktualizr-lite one for <paramref name="server"/>.</param>
    public void WriteSotaDirectory(string directory, Uri server, string? sotaToml = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "root.crt"), Ca.ExportCertificatePem() + "\n");
        WriteClient(directory, ClientCertificate);
        File.WriteAllText(Path.Combine(directory, "sota.toml"), sotaToml ?? TypicalSotaToml(server, directory));
    }

    /// <summary>Writes only <c>client.pem</c> and <c>pkey.pem</c> for <paramref name="certificate"/>.</summary>
    public static void WriteClient(string directory, X509Certificate2 certificate) =>
        WritePem(certificate, Path.Combine(directory, "client.pem"), Path.Combine(directory, "pkey.pem"));

    /// <summary>Writes <paramref name="certificate"/> and its key (PKCS#8) as PEM files.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificateFile, string keyFile)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem() + "\n");
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the certificate has no ECDSA key");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>A <c>sota.toml</c> as lmp-device-register writes it (file keys), for <paramref name="server"/>.</summary>
    public static string TypicalSotaToml(Uri server, string sotaDirectory)
    {
        ArgumentNullException.ThrowIfNull(server);
        var url = server.AbsoluteUri.TrimEnd('/');
        return new StringBuilder()
            .Append("# written by the test, shaped like lmp-device-register's (aktualizr reads it as INI: comments on lines of their own)\n")
            .Append("[tls]\n")
            .Append("# the device gateway\n")
            .Append("server = \"").Append(url).Append("\"\n")
            .Append("ca_source = \"file\"\npkey_source = \"file\"\ncert_source = \"file\"\n\n")
            .Append("[provision]\nserver = \"").Append(url).Append("\"\nprimary_ecu_hardware_id = \"qemux86-64\"\n\n")
            .Append("[uptane]\nrepo_server = \"").Append(url).Append("/repo\"\nkey_source = \"file\"\n\n")
            .Append("[pacman]\ntype = \"ostree+compose_apps\"\ntags = \"main,devel\"\n\n")
            .Append("[storage]\ntype = \"sqlite\"\npath = \"").Append(sotaDirectory).Append("\"\n\n")
            .Append("[import]\nbase_path = \"").Append(sotaDirectory).Append("\"\n")
            .Append("tls_cacert_path = \"root.crt\"\ntls_clientcert_path = \"client.pem\"\ntls_pkey_path = \"pkey.pem\"\n")
            .ToString();
    }

    public void Dispose()
    {
        Ca.Dispose();
        ServerCertificate.Dispose();
        ClientCertificate.Dispose();
    }

    private static Oid ServerAuth => new("1.3.6.1.5.5.7.3.1");

    private static Oid ClientAuth => new("1.3.6.1.5.5.7.3.2");

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string[] names, Oid[] usages, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        if (names.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var n in names)
            {
                if (IPAddress.TryParse(n, out var ip))
                {
                    san.AddIpAddress(ip);
                }
                else
                {
                    san.AddDnsName(n);
                }
            }

            request.CertificateExtensions.Add(san.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, now.AddDays(-1), now.AddMonths(6), serial);
        return Reload(issued.CopyWithPrivateKey(key));
    }

    /// <summary>Round-trips through PKCS#12 so the key is usable by SslStream on every platform.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
        }
    }
}
