using DeviceTest.Lab.Gateway;

namespace DeviceTest.Lab.Etcd;

/// <summary>The PEM files of a cluster that uses TLS: its CA, the members' certificate, and two client certificates.</summary>
public sealed class EtcdClusterTls
{
    private EtcdClusterTls(string directory)
    {
        CaFile = Path.Combine(directory, "ca.pem");
        ServerCertificateFile = Path.Combine(directory, "server.pem");
        ServerKeyFile = Path.Combine(directory, "server-key.pem");
        ClientCertificateFile = Path.Combine(directory, "client.pem");
        ClientKeyFile = Path.Combine(directory, "client-key.pem");
        CommonNameCertificateFile = Path.Combine(directory, "cn-client.pem");
        CommonNameKeyFile = Path.Combine(directory, "cn-client-key.pem");
    }

    public string CaFile { get; }

    public string ServerCertificateFile { get; }

    public string ServerKeyFile { get; }

    /// <summary>A client certificate whose subject has no Common Name (<c>O=devicetest</c>).</summary>
    public string ClientCertificateFile { get; }

    public string ClientKeyFile { get; }

    /// <summary>A client certificate with a Common Name (the PKI's device certificate).</summary>
    public string CommonNameCertificateFile { get; }

    public string CommonNameKeyFile { get; }

    /// <summary>Writes the files of <paramref name="pki"/> into <paramref name="directory"/>.</summary>
    public static EtcdClusterTls Write(GatewayPki pki, string directory)
    {
        ArgumentNullException.ThrowIfNull(pki);
        var tls = new EtcdClusterTls(directory);
        File.WriteAllText(tls.CaFile, pki.Ca.ExportCertificatePem() + "\n");
        GatewayPki.WritePem(pki.ServerCertificate, tls.ServerCertificateFile, tls.ServerKeyFile);
        using (var client = pki.IssueClient("O=devicetest"))
        {
            GatewayPki.WritePem(client, tls.ClientCertificateFile, tls.ClientKeyFile);
        }

        GatewayPki.WritePem(pki.ClientCertificate, tls.CommonNameCertificateFile, tls.CommonNameKeyFile);
        return tls;
    }
}
