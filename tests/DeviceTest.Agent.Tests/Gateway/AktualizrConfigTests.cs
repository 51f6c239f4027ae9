using DeviceTest.Agent.Gateway;
using DeviceTest.Agent.Gateway.Config;
using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab.Gateway;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Agent.Tests.Gateway;

/// <summary>
/// A device's aktualizr-lite configuration as Gateway/AktualizrLite holds it: LmP's <c>/var/sota/sota.toml</c>, the
/// image's <c>/usr/lib/sota/conf.d</c> and <c>/etc/sota/conf.d</c> fragments (fioctl's, a lab's written as aktualizr
/// reads it: unquoted values, a comment inside a value, a section without keys; devicetest's own), copied to a
/// temporary root.
/// </summary>
[TestClass]
public sealed class AktualizrConfigTests
{
    private string _root = null!;

    private string SotaDirectory => Path.Combine(_root, "var", "sota");

    private string ConfDirectory => Path.Combine(_root, "etc", "sota", "conf.d");

    private string SystemConfDirectory => Path.Combine(_root, "usr", "lib", "sota", "conf.d");

    [TestInitialize]
    public void CopyTheDevice()
    {
        _root = Directory.CreateTempSubdirectory("devicetest-aktualizr-").FullName;
        var data = RepositoryFiles.Path("tests", "DeviceTest.Agent.Tests", "Gateway", "AktualizrLite");
        foreach (var (from, to) in new[] { ("var-sota", SotaDirectory), ("etc-sota-conf.d", ConfDirectory), ("usr-lib-sota-conf.d", SystemConfDirectory) })
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(Path.Combine(data, from)))
            {
                // The device's absolute /var/sota paths point into the copy.
                File.WriteAllText(Path.Combine(to, Path.GetFileName(file)), File.ReadAllText(file).Replace("/var/sota", SotaDirectory, StringComparison.Ordinal));
            }
        }
    }

    [TestCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public void Files_are_merged_in_file_name_order_and_a_later_folder_hides_a_file_of_the_same_name()
    {
        var config = AktualizrConfig.Load([SystemConfDirectory, Path.Combine(SotaDirectory, "sota.toml"), ConfDirectory]);

        CollectionAssert.AreEqual(
            new[]
            {
                Path.Combine(SystemConfDirectory, "10-defaults.toml"),
                Path.Combine(SotaDirectory, "sota.toml"),
                Path.Combine(ConfDirectory, "z-50-fioctl.toml"),
                Path.Combine(ConfDirectory, "z-60-lab.toml"),
                Path.Combine(ConfDirectory, "z-90-devicetest.toml"),
            },
            config.Files.Select(f => f.SourceName).ToArray(),
            "README.txt is not TOML; /usr/lib's z-90-devicetest.toml is hidden by /etc's");
        Assert.AreEqual("devel", config.Find("pacman", "tags")!.Value, "fioctl's fragment overrides sota.toml");
        Assert.AreEqual("/var/sota/devicetest-callback.sh".Replace("/var/sota", SotaDirectory, StringComparison.Ordinal), config.Find("pacman", "callback_program")!.Value);
        Assert.AreEqual("300", config.Find("uptane", "polling_sec")!.Value, "only the image's defaults set it");
        Assert.AreEqual("sqlite", config.Find("storage", "type")!.Value);
        var server = config.Find("tls", "server")!;
        Assert.AreEqual("https://gateway.lab.example:8443", server.Value);
        Assert.AreEqual($"{Path.Combine(ConfDirectory, "z-60-lab.toml")}:3:1", server.Position);
        Assert.IsNull(config.Find("tls", "nothing"));
        Assert.AreEqual("bsp team <bsp@example.com>", config.Find("lab", "owner")!.Value);
        Assert.AreEqual("rack 4, shelf 2 # not a comment: part of the value", config.Find("lab", "notes")!.Value);
        Assert.AreEqual("'/dev/ttyUSB0'", config.Find("lab", "console")!.Value);
        Assert.IsNull(config.SectionPosition("lab-boards"), "a section without keys is dropped");
        Assert.AreEqual($"{Path.Combine(ConfDirectory, "z-90-devicetest.toml")}:2:2", config.SectionPosition("pacman"), "the last file that has it");
    }

    [TestMethod]
    public void The_agent_reports_to_the_gateway_the_merged_configuration_names()
    {
        using var pki = GatewayPki.Create();
        var sotaToml = File.ReadAllText(Path.Combine(SotaDirectory, "sota.toml"));
        pki.WriteSotaDirectory(SotaDirectory, new Uri("https://unused.example"), sotaToml);

        var config = SotaConfig.Load(SotaDirectory, ConfDirectory, SystemConfDirectory);

        Assert.AreEqual("https://gateway.lab.example:8443/tests", config.TestsUrl.AbsoluteUri);
        Assert.AreEqual(Path.Combine(SotaDirectory, "client.pem"), config.ClientCertificatePath);
        Assert.AreEqual("https://ota-lite.foundries.io:8443/tests", SotaConfig.Load(SotaDirectory).TestsUrl.AbsoluteUri, "sota.toml alone");
    }

    [TestMethod]
    public void A_broken_fragment_is_named_with_its_line_and_column()
    {
        using var pki = GatewayPki.Create();
        pki.WriteSotaDirectory(SotaDirectory, new Uri("https://unused.example"), File.ReadAllText(Path.Combine(SotaDirectory, "sota.toml")));
        var fragment = Path.Combine(ConfDirectory, "z-70-broken.toml");
        File.WriteAllText(fragment, "[pacman]\ntags = [\"main\",\n  \"devel\"]\n");

        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(SotaDirectory, ConfDirectory));

        StringAssert.StartsWith(e.Message, $"{fragment}:3:3: '=' character not found in line");
        StringAssert.Contains(e.Message, "a value cannot go on over several lines");
        StringAssert.EndsWith(e.Message, $"aktualizr-lite refuses this file too. Fix {fragment}.");
    }

    [TestMethod]
    public void A_server_that_is_not_a_URL_names_the_fragment_that_set_it()
    {
        using var pki = GatewayPki.Create();
        pki.WriteSotaDirectory(SotaDirectory, new Uri("https://unused.example"), File.ReadAllText(Path.Combine(SotaDirectory, "sota.toml")));
        var fragment = Path.Combine(ConfDirectory, "z-80-port.toml");
        File.WriteAllText(fragment, "# port only\n[tls]\nserver = 8443\n");

        var e = Assert.ThrowsExactly<SotaConfigException>(() => SotaConfig.Load(SotaDirectory, ConfDirectory));

        Assert.AreEqual($"{fragment}:3:1: [tls] server = \"8443\" is not an https:// URL; the device gateway is reached over mutual TLS.", e.Message);
    }
}
