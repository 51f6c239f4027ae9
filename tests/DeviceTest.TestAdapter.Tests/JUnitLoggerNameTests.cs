using System.Xml.Linq;
using DeviceTest.TestAdapter.Tests.Fakes;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>
/// DeviceTest's JUnit logger next to JunitXml.TestLogger (spekt), both from a real <c>dotnet test</c>: each answers to
/// its own name, and <c>junit</c> is DeviceTest's only where it is the only JUnit logger (EndToEndTests' HelloDevice run).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class JUnitLoggerNameTests
{
    private static readonly string Project = Path.Combine("tests", "DeviceTest.TestAdapter.Tests", "Projects", "BothJUnit");
    private string _results = string.Empty;

    [ClassInitialize]
    public static async Task BuildProject(TestContext context)
    {
        var (exitCode, output) = await Dotnet.RunAsync(["build", Project, "-v", "q", "-nologo"]);
        Assert.AreEqual(0, exitCode, output);
    }

    [TestInitialize]
    public void CreateResultsDirectory() => _results = Directory.CreateTempSubdirectory("devicetest-junit-names-").FullName;

    [TestCleanup]
    public void DeleteResultsDirectory() => Directory.Delete(_results, recursive: true);

    [TestMethod]
    public async Task With_JunitXml_installed_junit_is_its_logger_and_devicetest_junit_is_ours_in_the_same_run()
    {
        var theirs = Path.Combine(_results, "theirs.xml");
        var ours = Path.Combine(_results, "ours.xml");
        var (exitCode, output) = await Dotnet.RunAsync(
            ["test", Project, "--no-build", "--results-directory", _results,
             "--logger", $"junit;LogFilePath={theirs}", "--logger", $"devicetest-junit;LogFilePath={ours}"]);

        Assert.AreEqual(0, exitCode, output);
        var bin = Path.Combine(Dotnet.RepositoryRoot, Project, "bin", "Debug", "net10.0");
        Assert.IsFalse(File.Exists(Path.Combine(bin, "DeviceTest.JUnitAlias.TestLogger.dll")), "the junit alias stays out when JunitXml.TestLogger is there");
        Assert.IsTrue(File.Exists(Path.Combine(bin, "DeviceTest.JUnit.TestLogger.dll")));

        // JunitXml.TestLogger names a test by the FQN's last part; DeviceTest's by the name the spec gives it.
        var theirNames = XDocument.Load(theirs).Descendants("testcase").Select(c => (string)c.Attribute("name")!).ToList();
        CollectionAssert.Contains(theirNames, "yaml_broken", string.Join(", ", theirNames));
        var ourCases = XDocument.Load(ours).Descendants("testcase").ToList();
        CollectionAssert.AreEqual(
            new[] { "yaml-broken", "boot check", "boot check/boot-time" },
            ourCases.Select(c => (string)c.Attribute("name")!).ToArray());
        var subCase = ourCases[2];
        Assert.AreEqual("metric:seconds", (string)subCase.Element("properties")!.Element("property")!.Attribute("name")!);
        Assert.AreEqual("3.5", (string)subCase.Element("properties")!.Element("property")!.Attribute("value")!);
    }

    [TestMethod]
    public async Task Sub_results_can_stay_properties_only()
    {
        var ours = Path.Combine(_results, "ours.xml");
        var (exitCode, output) = await Dotnet.RunAsync(
            ["test", Project, "--no-build", "--results-directory", _results, "--logger", $"devicetest-junit;LogFilePath={ours};SubResults=properties"]);

        Assert.AreEqual(0, exitCode, output);
        var cases = XDocument.Load(ours).Descendants("testcase").ToList();
        CollectionAssert.AreEqual(new[] { "yaml-broken", "boot check" }, cases.Select(c => (string)c.Attribute("name")!).ToArray());
        CollectionAssert.Contains(
            cases[1].Descendants("property").Select(p => $"{p.Attribute("name")!.Value}={p.Attribute("value")!.Value}").ToList(),
            "metric:boot-time/seconds=3.5");
    }

    [TestMethod]
    public async Task An_unknown_sub_results_value_says_which_values_there_are()
    {
        var (exitCode, output) = await Dotnet.RunAsync(
            ["test", Project, "--no-build", "--results-directory", _results, "--logger", "devicetest-junit;SubResults=nested"]);

        Assert.AreNotEqual(0, exitCode, output);
        StringAssert.Contains(output, "SubResults=nested is not known; use SubResults=testcases");
    }
}
