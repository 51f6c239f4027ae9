using System.Text;
using DeviceTest.Agent.Gateway.Config;
using DeviceTest.Agent.Ota;
using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab;
using DeviceTest.Lab.Aktualizr;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Agent.Tests.Gateway;

/// <summary>
/// The agent's reader side by side with the real one: boost's <c>read_ini</c> compiled from the system's boost headers
/// and called as aktualizr calls it (<see cref="BoostIniReader"/>), on the same files.
/// </summary>
[TestClass]
public sealed class AktualizrConfigFileBoostTests
{
    // Every rule of read_ini, and TOML that it reads as something else. Not the byte order mark: boost refuses it, the agent
    // skips it on purpose (AktualizrConfigFile).
    private static readonly string[] Cases =
    [
        "[tls]\nserver = \"https://ota-lite.foundries.io:8443\"\npkey_source = \"file\"\n",
        "[tls]\nserver = https://gw:8443\n[pacman]\ntags = main\n",
        "[s]\ninside = say \"hi\" to \"them\"\nempty = \"\"\nescaped = \"a\\\"b\\tc\"\nsingle = 'file'\n\"quoted key\" = x\n",
        "[tls]\nserver = \"https://gw:8443\"   # the gateway\nca_source = file ; or pkcs11\n",
        "# [tls]\n  ; server = x\n[s]\n\t# k = 1\n;[t]\nk = 2\n\n   \n",
        "[ tls ] = trailing text\na = 1\n[[lab.boards]]\nb = 2\n[x]y]\nc = 3\n[]\nd = 4\n",
        "[s]\n   url  =  https://gw/?a=b&c=d  \t\nnothing =\nk=v\n",
        "[s]\n\v\fk\f=\v v \u00A0\r\nnbsp\u00A0= x\n",
        "[t]\n# nothing yet\n[t]\nk = 1\n[empty]\n[s]\nk = 2\n[last]\n",
        "server = https://top\nother=1\n[tls]\nserver = https://tls\n",
        "[tls]\r\nserver = \"https://x\"\r\n\r\n[import]\r\ntls_pkey_path = pkey.pem\r\n",
        "[s]\rk = 1\n[t]\nk = a\rb\n",
        "[a]\nk = 1\n[b]\n[c]\nk = 2",
        string.Empty,
        "[tls\nserver = x\n",
        "[tls]\n  server\n",
        "[pacman]\ntags = [\"main\",\n  \"devel\"]\n",
        "[lab]\nnotes = \"\"\"\nRack 4.\n\"\"\"\n",
        "[tls]\n\t= x\n",
        "[tls]\na = 1\n  a = 2\n",
        "a = 1\na=2\n",
        "[t]\nk = 1\n[t]\n",
        "[t]\nk = 1\n[empty]\n[ t ]\n",
        "t = 1\n[t]\nk = 2\n",
        "[[lab.boards]]\nname = a\n[[lab.boards]]\nname = b\n",
        "[a]\nk = 1\n[b]\n[ a]\nk = 2\n",
    ];

    private static readonly string[] BoostMessages =
        ["unmatched '['", "'=' character not found in line", "key expected", "duplicate key name", "duplicate section name"];

    private string _directory = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("devicetest-boost-ini-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public async Task Every_file_is_read_as_boosts_read_ini_reads_it_for_aktualizr()
    {
        var boost = await BoostIniReader.BuildAsync(_directory, TestContext.CancellationToken);
        var fixtures = RepositoryFiles.Path("tests", "DeviceTest.Agent.Tests", "Gateway", "AktualizrLite");
        var files = Directory.GetFiles(fixtures, "*.toml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < Cases.Length; i++)
        {
            var path = Path.Combine(_directory, $"case-{i:D2}.toml");
            await File.WriteAllTextAsync(path, Cases[i], TestContext.CancellationToken);
            files.Add(path);
        }

        var differences = new StringBuilder();
        foreach (var path in files)
        {
            var expected = await boost.ReadAsync(path, TestContext.CancellationToken);
            var actual = Describe(path);
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                differences.Append($"{path}:\n--- boost\n{expected}--- agent\n{actual}\n");
            }
        }

        Assert.AreEqual(string.Empty, differences.ToString(), $"{files.Count} files");
    }

    [TestMethod]
    public async Task The_fragment_the_agent_writes_gives_aktualizr_the_script_path_as_it_is()
    {
        var boost = await BoostIniReader.BuildAsync(_directory, TestContext.CancellationToken);
        var script = Path.Combine(_directory, "sota dir\\with a backslash", "devicetest-callback.sh");
        var fragment = Path.Combine(_directory, AktualizrSetup.ConfigFileName);
        await File.WriteAllTextAsync(fragment, AktualizrSetup.Toml(script), TestContext.CancellationToken);

        var read = await boost.ReadAsync(fragment, TestContext.CancellationToken);

        Assert.AreEqual($"section pacman\nkey callback_program{BoostIniReader.Separator}{script}\n", read);
        Assert.AreEqual(script, AktualizrConfigFile.Load(fragment).FindSection("pacman")!.Find("callback_program")!.Value);
    }

    /// <summary>What the agent reads from <paramref name="path"/>, in <see cref="BoostIniReader"/>'s format.</summary>
    private static string Describe(string path)
    {
        AktualizrConfigFile file;
        try
        {
            file = AktualizrConfigFile.Load(path);
        }
        catch (AktualizrConfigException e)
        {
            // The agent's message starts with boost's and goes on with what to do.
            var boostMessage = BoostMessages.FirstOrDefault(m => e.Problem!.StartsWith(m, StringComparison.Ordinal)) ?? e.Problem;
            return $"error {e.Line}: {boostMessage}\n";
        }

        var text = new StringBuilder();
        foreach (var key in file.TopLevelKeys)
        {
            text.Append($"top {key.Name}{BoostIniReader.Separator}{key.Value}\n");
        }

        foreach (var section in file.Sections)
        {
            text.Append($"section {section.Name}\n");
            foreach (var key in section.Keys)
            {
                text.Append($"key {key.Name}{BoostIniReader.Separator}{key.Value}\n");
            }
        }

        return text.ToString();
    }
}
