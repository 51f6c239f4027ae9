using System.Xml.Linq;

namespace DeviceTest.Tasks.Tests;

/// <summary>
/// <c>dotnet new devicetest</c> as a new user runs it: DeviceTest.Templates installed from the packed feed into a private
/// CLI home (its own template hive), a project created, and <c>dotnet test</c> green with no edit, also with the command
/// the pipelines run. Only the packed feed and the package source configured here are used.
/// </summary>
[TestClass]
[TestCategory("e2e")]
public sealed class TemplatePackageTests
{
    private static string s_feed = string.Empty;
    private string _work = string.Empty;

    private Dictionary<string, string> Hive => new() { ["DOTNET_CLI_HOME"] = Path.Combine(_work, "cli-home") };

    [ClassInitialize]
    public static async Task PackAsync(TestContext context)
    {
        _ = context;
        s_feed = await PackedFeed.GetAsync();
    }

    [TestInitialize]
    public async Task InstallTheTemplate()
    {
        _work = Directory.CreateTempSubdirectory("dt-template-").FullName;
        var (code, output) = await PackedFeed.DotnetAsync(
            _work, TimeSpan.FromMinutes(5), Hive, "new", "install", $"DeviceTest.Templates::{PackedFeed.Version}", "--add-source", s_feed);
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "devicetest");
    }

    [TestCleanup]
    public void DeleteWork() => Directory.Delete(_work, recursive: true);

    [TestMethod]
    public async Task Dotnet_new_devicetest_gives_a_project_whose_tests_pass_with_no_edit_also_as_the_pipelines_run_them()
    {
        var project = await NewAsync("Board.Tests", "--device", "imx8-evk");

        foreach (var file in new[] { "Board.Tests.csproj", "smoke.spec.yml", "BoardSuite.cs", "devicetest.runsettings", "devices.yml", "azure-pipelines.yml", Path.Combine(".github", "workflows", "devicetest.yml") })
        {
            Assert.IsTrue(File.Exists(Path.Combine(project, file)), file);
        }

        var references = XDocument.Load(Path.Combine(project, "Board.Tests.csproj")).Descendants("PackageReference")
            .ToDictionary(r => (string)r.Attribute("Include")!, r => (string)r.Attribute("Version")!);
        Assert.AreEqual(PackedFeed.Version, references["DeviceTest.TestAdapter"], "the template names the packages of its own version");
        StringAssert.Contains(File.ReadAllText(Path.Combine(project, "BoardSuite.cs")), "namespace Board.Tests;");
        StringAssert.Contains(File.ReadAllText(Path.Combine(project, "azure-pipelines.yml")), "devicetest.board -equals imx8-evk");
        StringAssert.Contains(File.ReadAllText(Path.Combine(project, ".github", "workflows", "devicetest.yml")), "device: [imx8-evk]");
        StringAssert.Contains(File.ReadAllText(Path.Combine(project, "devices.yml")), "# imx8-evk:");

        // The user's machine has nuget.org; here the DeviceTest packages come from the packed feed.
        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), PackedFeed.NuGetConfig(s_feed));
        var (code, output) = await PackedFeed.DotnetAsync(project, TimeSpan.FromMinutes(10), Hive, "test");
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "Passed!  - Failed:     0, Passed:     5, Skipped:     0, Total:     5");

        // The pipelines' command, on the local device (the agent's board is not here).
        var results = Path.Combine(_work, "results");
        (code, output) = await PackedFeed.DotnetAsync(project, TimeSpan.FromMinutes(10), Hive,
            "test", "Board.Tests.csproj", "--logger", "trx", "--logger", $"devicetest-junit;LogFilePath={results}/junit/Board.Tests.xml",
            "--results-directory", results, "-p:Device=local");
        Assert.AreEqual(0, code, output);
        Assert.HasCount(1, Directory.GetFiles(results, "*.trx"));
        var names = XDocument.Load(Path.Combine(results, "junit", "Board.Tests.xml")).Descendants("testcase").Select(c => (string)c.Attribute("name")!).ToList();
        CollectionAssert.AreEquivalent(new[] { "kernel", "shell-and-environment", "report", "Shell_answers", "Has_a_temporary_directory" }, names);
    }

    [TestMethod]
    public async Task Without_pipelines_the_project_has_no_ci_files_and_the_board_is_named_board()
    {
        var project = await NewAsync("Quiet.Tests", "--pipelines", "false");

        Assert.IsFalse(File.Exists(Path.Combine(project, "azure-pipelines.yml")));
        Assert.IsFalse(Directory.Exists(Path.Combine(project, ".github")));
        Assert.IsTrue(File.Exists(Path.Combine(project, "Quiet.Tests.csproj")));
        StringAssert.Contains(File.ReadAllText(Path.Combine(project, "devices.yml")), "# board:");
    }

    private async Task<string> NewAsync(string name, params string[] options)
    {
        var directory = Path.Combine(_work, name);
        var (code, output) = await PackedFeed.DotnetAsync(_work, TimeSpan.FromMinutes(2), Hive, ["new", "devicetest", "-n", name, "-o", directory, .. options]);
        Assert.AreEqual(0, code, output);
        return directory;
    }
}
