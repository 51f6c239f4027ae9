using DeviceTest.Agent.Gateway;
using DeviceTest.Lab.Gateway;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Agent.Tests.Gateway;

[TestClass]
public sealed class SotaConfigTests
{
    private string _dir = null!;

    [TestInitialize]
    public void Setup() => _dir = Directory.CreateTempSubdirectory("devicetest-sota-").FullName;

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    [TestMethod]
    public void Reads_server_and_certificates_from_the_sota_directory()
    {
        using var pki = GatewayPki.Create();
        pki.WriteSotaDirectory(_dir, new Uri("https://gw.example:8443"), "[tls]\nserver = \"https://gw.example:8443\"\n");

        var config = SotaConfig.Load(_dir);

        Assert.AreEqual("https://gw.example:8443/tests", config.TestsUrl.AbsoluteUri);
        Assert.AreEqual(Path.Combine(_dir, "root.crt"), config.CaCertificatePath);
        Assert.AreEqual(Path.Combine(_dir, "client.pem"), config.ClientCertificatePath);
        Assert.AreEqual(Path.Combine(_dir, "pkey.pem"), config.ClientKeyPath);
    }

    [TestMethod]
    public void Honours_import_paths()
    {
        using var pki = GatewayPki.Create();
        pki.WriteSotaDirectory(_dir, new Uri("https://gw.example"));
        var certs = Directory.CreateDirectory(Path.Combine(_dir, "certs")).FullName;
        File.Move(Path.Combine(_dir, "client.pem"), Path.Combine(certs, "device.crt"));
        File.WriteAllText(Path.Combine(_dir, "sota.toml"), $"""
            [tls]
            server = "https://gw.example"
            [import]
            base_path = "{certs}"
            tls_clientcert_path = "device.crt"
            tls_cacert_path = "{Path.Combine(_dir, "root.crt")}"
            """);

        var config = SotaConfig.Load(_dir);

        Assert.AreEqual(Path.Combine(certs, "device.crt"), config.ClientCertificatePath);
        Assert.AreEqual(Path.Combine(_dir, "root.crt"), config.CaCertificatePath);
        Assert.AreEqual(Path.Combine(_dir, "pkey.pem"), config.ClientKeyPath, "not named in [import]: the sota directory's pkey.pem");
    }

    [TestMethod]
    public void Missing_sota_TOML_says_what_to_do()
    {
        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(_dir));
        StringAssert.Contains(e.Message, Path.Combine(_dir, "sota.toml") + " not found");
        StringAssert.Contains(e.Message, "--sota-dir");
    }

    [TestMethod]
    public void No_TLS_section_says_what_to_do()
    {
        File.WriteAllText(Path.Combine(_dir, "sota.toml"), "[provision]\nserver = \"https://gw\"\n");
        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(_dir));
        StringAssert.Contains(e.Message, "no [tls] section");
        StringAssert.Contains(e.Message, "--dry-run");
    }

    [TestMethod]
    public void TLS_without_server_gives_position()
    {
        File.WriteAllText(Path.Combine(_dir, "sota.toml"), "# x\n[tls]\nca_source = \"file\"\n");
        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(_dir));
        StringAssert.Contains(e.Message, "sota.toml:2:2: [tls] has no server");
    }

    [TestMethod]
    public void Server_must_be_https()
    {
        File.WriteAllText(Path.Combine(_dir, "sota.toml"), "[tls]\nserver = \"http://gw:8443\"\n");
        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(_dir));
        StringAssert.Contains(e.Message, "sota.toml:2:1: [tls] server = \"http://gw:8443\" is not an https:// URL");
    }

    [TestMethod]
    public void An_unquoted_server_is_read_as_aktualizr_reads_it()
    {
        using var pki = GatewayPki.Create();
        pki.WriteSotaDirectory(_dir, new Uri("https://gw.example:8443"), "[tls]\nserver = https://gw.example:8443\n[pacman]\ntags = main\n");

        var config = SotaConfig.Load(_dir);

        Assert.AreEqual("https://gw.example:8443/tests", config.TestsUrl.AbsoluteUri);
    }

    [TestMethod]
    public void A_comment_after_the_server_is_part_of_it_as_for_aktualizr_and_the_message_says_so()
    {
        using var pki = GatewayPki.Create();
        pki.WriteSotaDirectory(_dir, new Uri("https://gw.example:8443"), "[tls]\nserver = \"https://gw.example:8443\"  # the device gateway\n");

        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(_dir));

        StringAssert.Contains(e.Message, "sota.toml:2:1: [tls] server = \"https://gw.example:8443  # the device gateway\" is not an https:// URL");
        StringAssert.Contains(e.Message, "put the comment on a line of its own");
    }

    [TestMethod]
    public void Errors_in_the_file_keep_their_position_and_say_how_aktualizr_reads_it()
    {
        File.WriteAllText(Path.Combine(_dir, "sota.toml"), "[tls]\nserver\n");
        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(_dir));
        StringAssert.StartsWith(e.Message, Path.Combine(_dir, "sota.toml") + ":2:1: '=' character not found in line");
        StringAssert.Contains(e.Message, "aktualizr-lite reads each line as [section], key = value or a comment (# or ; first)");
        StringAssert.EndsWith(e.Message, $"Fix {Path.Combine(_dir, "sota.toml")}.");
    }

    [TestMethod]
    public void A_TLS_section_without_keys_is_no_TLS_section_as_for_aktualizr()
    {
        File.WriteAllText(Path.Combine(_dir, "sota.toml"), "[tls]\n# server = \"https://gw\"\n[provision]\nserver = \"https://gw\"\n");
        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(_dir));
        StringAssert.Contains(e.Message, "no [tls] section");
    }

    [TestMethod]
    [DataRow("file")]
    [DataRow("File")]
    [DataRow("files")]
    public void A_source_other_than_pkcs11_means_files_as_for_aktualizr(string source)
    {
        using var pki = GatewayPki.Create();
        pki.WriteSotaDirectory(_dir, new Uri("https://gw.example:8443"), $"[tls]\nserver = \"https://gw.example:8443\"\npkey_source = \"{source}\"\ncert_source = {source}\n");

        var config = SotaConfig.Load(_dir);

        Assert.AreEqual(Path.Combine(_dir, "pkey.pem"), config.ClientKeyPath);
        Assert.AreEqual(Path.Combine(_dir, "client.pem"), config.ClientCertificatePath);
    }

    [TestMethod]
    public void PKCS11_is_refused_clearly()
    {
        File.WriteAllText(Path.Combine(_dir, "sota.toml"), "[tls]\nserver = \"https://gw\"\npkey_source = \"pkcs11\"\n[p11]\nmodule = \"/usr/lib/softhsm/libsofthsm2.so\"\n");
        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(_dir));
        StringAssert.Contains(e.Message, "sota.toml:3:1: [tls] pkey_source = \"pkcs11\"");
        StringAssert.Contains(e.Message, "PKCS#11");
        StringAssert.Contains(e.Message, "not supported");
    }

    [TestMethod]
    [DataRow("root.crt", "tls_cacert_path")]
    [DataRow("client.pem", "tls_clientcert_path")]
    [DataRow("pkey.pem", "tls_pkey_path")]
    public void Missing_certificate_says_which_and_what_to_do(string file, string importKey)
    {
        using var pki = GatewayPki.Create();
        pki.WriteSotaDirectory(_dir, new Uri("https://gw"), "[tls]\nserver = \"https://gw\"\n");
        File.Delete(Path.Combine(_dir, file));

        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(_dir));

        StringAssert.StartsWith(e.Message, Path.Combine(_dir, file) + " not found");
        StringAssert.Contains(e.Message, "lmp-device-register");
        StringAssert.Contains(e.Message, importKey);
    }

    [TestMethod]
    public void Garbage_certificate_is_reported_when_the_client_is_made()
    {
        using var pki = GatewayPki.Create();
        pki.WriteSotaDirectory(_dir, new Uri("https://gw"), "[tls]\nserver = \"https://gw\"\n");
        File.WriteAllText(Path.Combine(_dir, "pkey.pem"), "not a key");

        var e = Assert.ThrowsExactly<SotaConfigException>(() => new GatewayClient(SotaConfig.Load(_dir)).Dispose());

        StringAssert.Contains(e.Message, "client.pem with key");
        StringAssert.Contains(e.Message, "cannot be loaded");
    }
}
