using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;
using DeviceTest.TestAdapter.Tests.Fakes;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>
/// Runs <c>dotnet test</c> as a user does on samples/HelloDevice and on Projects/E2E, then reads the TRX and JUnit
/// files. The projects are built once for the class; each run uses --no-build.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed partial class EndToEndTests
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private static readonly string HelloDevice = Path.Combine("samples", "HelloDevice");
    private static readonly string E2E = Path.Combine("tests", "DeviceTest.TestAdapter.Tests", "Projects", "E2E");
    private string _results = string.Empty;

    [ClassInitialize]
    public static async Task BuildProjects(TestContext context)
    {
        foreach (var project in new[] { HelloDevice, E2E })
        {
            var (exitCode, output) = await Dotnet.RunAsync(["build", project, "-v", "q", "-nologo"]);
            Assert.AreEqual(0, exitCode, output);
        }
    }

    [TestInitialize]
    public void CreateResultsDirectory() => _results = Directory.CreateTempSubdirectory("devicetest-e2e-").FullName;

    [TestCleanup]
    public void DeleteResultsDirectory() => Directory.Delete(_results, recursive: true);

    [TestMethod]
    public async Task HelloDevice_passes_on_local_with_trx_and_junit_that_point_at_the_yaml_lines()
    {
        var junitPath = Path.Combine(_results, "junit", "hello.xml");
        var (exitCode, output) = await Dotnet.RunAsync(
            ["test", HelloDevice, "--no-build", "--results-directory", _results,
             "--logger", "trx;LogFileName=hello.trx", "--logger", $"junit;LogFilePath={junitPath}"]);

        Assert.AreEqual(0, exitCode, output);
        var trx = XDocument.Load(Path.Combine(_results, "hello.trx"));
        var results = trx.Descendants(Trx + "UnitTestResult").ToList();
        CollectionAssert.AreEquivalent(
            new[] { "kernel", "greeting", "report", "Shell_answers", "Has_a_temporary_directory" },
            results.Select(r => (string)r.Attribute("testName")!).ToArray());
        Assert.IsTrue(results.All(r => (string)r.Attribute("outcome")! == "Passed"));
        var methods = trx.Descendants(Trx + "TestMethod").Select(m => $"{m.Attribute("className")!.Value}.{m.Attribute("name")!.Value}").ToList();
        CollectionAssert.IsSubsetOf(new[] { "DeviceTest.Specs.hello.kernel", "HelloDevice.HelloSuite.Shell_answers" }, methods);

        // TRX keeps the attachments in its run folder.
        var report = results.Single(r => (string)r.Attribute("testName")! == "report");
        var files = report.Descendants(Trx + "ResultFile").Select(f => (string)f.Attribute("path")!).ToList();
        CollectionAssert.IsSubsetOf(new[] { "console.log", "report.txt" }, files.Select(Path.GetFileName).ToArray());
        var runFolder = Directory.GetDirectories(_results).Single(d => Directory.Exists(Path.Combine(d, "In")));
        var copied = Path.Combine(runFolder, "In", (string)report.Attribute("executionId")!, files.Single(f => f.EndsWith("report.txt", StringComparison.Ordinal)));
        Assert.AreEqual("all good", File.ReadAllText(copied).Trim());

        var junit = XDocument.Load(junitPath);
        var cases = junit.Descendants("testcase").ToList();
        Assert.HasCount(5, cases);
        var kernel = cases.Single(c => (string)c.Attribute("name")! == "kernel");
        Assert.AreEqual("DeviceTest.Specs.hello", (string)kernel.Attribute("classname")!);
        var specPath = Path.Combine(Dotnet.RepositoryRoot, HelloDevice, "hello.spec.yml");
        Assert.AreEqual(specPath, (string)kernel.Attribute("file")!);
        Assert.AreEqual(LineOf(specPath, "- name: kernel"), (int)kernel.Attribute("line")!);
        Assert.IsGreaterThan(0, double.Parse((string)kernel.Attribute("time")!, CultureInfo.InvariantCulture));
        var attachments = AttachmentLine().Matches((string)cases.Single(c => (string)c.Attribute("name")! == "report").Element("system-out")!)
            .Select(m => m.Groups[1].Value)
            .ToList();
        Assert.IsTrue(attachments.Any(a => a.EndsWith("report.txt", StringComparison.Ordinal)), string.Join(", ", attachments));
        Assert.IsTrue(attachments.All(File.Exists), string.Join(", ", attachments));
    }

    [TestMethod]
    public async Task A_relative_devices_file_in_a_runsettings_file_is_found_next_to_that_file()
    {
        var settingsFolder = Path.Combine(_results, "team-settings");
        Directory.CreateDirectory(settingsFolder);
        File.WriteAllText(Path.Combine(settingsFolder, "lab.yml"), "devices:\n  spare:\n    ssh: { host: 192.0.2.1 }\n");
        var settings = Path.Combine(settingsFolder, "team.runsettings");
        File.WriteAllText(settings, "<RunSettings><DeviceTest><DevicesFile>lab.yml</DevicesFile><Device>local</Device></DeviceTest></RunSettings>");

        var (exitCode, output) = await Dotnet.RunAsync(
            ["test", HelloDevice, "--no-build", "--results-directory", _results, "--settings", settings, "--filter", "Spec=hello"]);

        Assert.AreEqual(0, exitCode, output);
        Assert.DoesNotContain("lab.yml", output, "the devices file is found next to the runsettings file, not under the project");
    }

    [TestMethod]
    public async Task Failures_skips_repeats_sub_results_and_a_broken_spec_reach_trx_and_junit()
    {
        var junitPath = Path.Combine(_results, "junit.xml");
        var (exitCode, output) = await Dotnet.RunAsync(
            ["test", E2E, "--no-build", "--results-directory", _results, "--filter", "Spec=mixed|Suite=MixedSuite",
             "--logger", "trx;LogFileName=e2e.trx", "--logger", $"devicetest-junit;LogFilePath={junitPath}"]);

        Assert.AreEqual(1, exitCode, output);
        var broken = Path.Combine(Dotnet.RepositoryRoot, E2E, "specs", "broken.spec.yml");
        StringAssert.Contains(output, $"{broken}:5:9: error DT0020: unknown key `comand`");

        var results = XDocument.Load(Path.Combine(_results, "e2e.trx")).Descendants(Trx + "Results").Single().Elements(Trx + "UnitTestResult")
            .ToDictionary(r => (string)r.Attribute("testName")!, r => r);
        CollectionAssert.AreEquivalent(
            new[] { "passes", "fails", "with sub-results", "repeated #1", "repeated #2", "Passes", "Fails", "Skipped" },
            results.Keys.ToArray());
        Assert.AreEqual("Failed", (string)results["fails"].Attribute("outcome")!);
        StringAssert.Contains(results["fails"].Descendants(Trx + "StdErr").Single().Value, "something broke");
        Assert.AreEqual("NotExecuted", (string)results["Skipped"].Attribute("outcome")!);
        StringAssert.Contains(results["Fails"].Descendants(Trx + "Message").First().Value, "suite failure on purpose");
        var withSubResults = results["with sub-results"];
        StringAssert.Contains(withSubResults.Elements(Trx + "Output").Single().Element(Trx + "TextMessages")!.Value, "failed  check-b");
        var inner = withSubResults.Element(Trx + "InnerResults")!.Elements(Trx + "UnitTestResult").ToList();
        CollectionAssert.AreEqual(new[] { "check-a", "check-b" }, inner.Select(r => (string)r.Attribute("testName")!).ToArray());
        CollectionAssert.AreEqual(new[] { "Passed", "Failed" }, inner.Select(r => (string)r.Attribute("outcome")!).ToArray());
        Assert.IsTrue(inner.All(r => (string)r.Attribute("parentExecutionId")! == (string)withSubResults.Attribute("executionId")!));
        StringAssert.Contains(inner[1].Descendants(Trx + "StdOut").Single().Value, "check b details");

        // Names as the spec writes them; each sub-result is also a testcase `test/sub` right after its test.
        var junit = XDocument.Load(junitPath);
        var cases = junit.Descendants("testcase").ToDictionary(c => (string)c.Attribute("name")!, c => c);
        CollectionAssert.AreEquivalent(
            new[] { "passes", "fails", "with sub-results", "with sub-results/check-a", "with sub-results/check-b", "repeated #1", "repeated #2", "Passes", "Fails", "Skipped" },
            cases.Keys.ToArray());
        StringAssert.Contains((string)cases["fails"].Element("failure")!.Attribute("message")!, "exit code 2");
        StringAssert.Contains((string)cases["fails"].Element("system-err")!, "something broke");
        Assert.IsNotNull(cases["Skipped"].Element("skipped"));
        Assert.IsTrue(cases.ContainsKey("repeated #2"));
        Assert.AreEqual("E2E.MixedSuite", (string)cases["Fails"].Attribute("classname")!);
        StringAssert.Contains((string)cases["with sub-results"].Element("system-out")!, "check-b");
        Assert.AreEqual("FAILED", (string)cases["with sub-results"].Descendants("property").Single(p => (string)p.Attribute("name")! == "subresult:check-b").Attribute("value")!);
        Assert.IsNull(cases["with sub-results/check-a"].Element("failure"));
        StringAssert.Contains((string)cases["with sub-results/check-b"].Element("failure")!, "check b details");
        Assert.AreEqual("with sub-results/check-a", (string)cases["with sub-results"].ElementsAfterSelf("testcase").First().Attribute("name")!);
        var mixed = junit.Descendants("testsuite").Single(s => s.Elements("testcase").Any(c => (string)c.Attribute("name")! == "passes"));
        Assert.AreEqual("7", (string)mixed.Attribute("tests")!, "five test executions and two sub-results");
        Assert.AreEqual("2", (string)mixed.Attribute("failures")!);
    }

    [TestMethod]
    public async Task Two_runs_at_once_never_use_the_device_at_the_same_time()
    {
        var log = Path.Combine(_results, "shared.log");
        Task<(int ExitCode, string Output)> Run(string name) => Dotnet.RunAsync(
            ["test", E2E, "--no-build", "--results-directory", Path.Combine(_results, name), "--filter", "Spec=lease"],
            new Dictionary<string, string> { ["DEVICETEST_E2E_LOG"] = log, ["DEVICETEST_E2E_RUN"] = name });

        var runs = await Task.WhenAll(Run("a"), Run("b"));

        Assert.IsTrue(runs.All(r => r.ExitCode == 0), string.Join("\n----\n", runs.Select(r => r.Output)));
        var lines = File.ReadAllLines(log);
        Assert.HasCount(8, lines);
        // Each run holds the device for all its tests: its four lines are contiguous, in start/end pairs.
        var order = lines.Select(l => l.Split(' ')[1]).ToList();
        Assert.AreEqual(1, order.Zip(order.Skip(1)).Count(p => p.First != p.Second), string.Join("\n", lines));
        for (var i = 0; i < lines.Length; i += 2)
        {
            StringAssert.StartsWith(lines[i], "start ");
            StringAssert.StartsWith(lines[i + 1], "end ");
        }
    }

    [TestMethod]
    public async Task Suites_that_require_tags_go_to_a_device_of_the_pool_with_them_or_are_skipped_with_the_reason()
    {
        // Two devices of one pool, both the lab's sshd under different names and tags.
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid", "pgrep");
        await using var board = await SshBoard.StartAsync();
        var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        var ssh = $"{{ host: {board.Host}, port: {board.Port}, user: {board.User}, identity: '{board.IdentityFile}', options: {{ {options} }} }}";
        var devices = Path.Combine(_results, "devices.yml");
        File.WriteAllText(devices, $"devices:\n  bench-plain:\n    tags: [routing]\n    ssh: {ssh}\n  bench-wifi:\n    tags: [routing, wifi]\n    ssh: {ssh}\n");
        var junitPath = Path.Combine(_results, "routed.xml");
        var (exitCode, output) = await Dotnet.RunAsync(
            ["test", E2E, "--no-build", "--results-directory", _results, "--filter", "Suite=WifiSuite|Suite=MethodTagSuite|Suite=GpuSuite",
             "--logger", "trx;LogFileName=routed.trx", "--logger", $"junit;LogFilePath={junitPath}",
             "--", $"DeviceTest.DevicesFile={devices}", "DeviceTest.Tags=routing", "DeviceTest.Parallel=2"]);

        Assert.AreEqual(0, exitCode, output);
        var cases = XDocument.Load(junitPath).Descendants("testcase").ToDictionary(c => (string)c.Attribute("name")!);
        string Device(string name) => (string)cases[name].Descendants("property").Single(p => (string)p.Attribute("name")! == "device").Attribute("value")!;
        Assert.AreEqual("bench-wifi", Device("Runs_where_there_is_wifi"));
        Assert.AreEqual("bench-wifi", Device("Plain"), "the whole suite goes where its wifi test can run");
        Assert.IsNull(cases["Wants_wifi"].Element("skipped"));
        var skipped = cases["Needs_a_gpu"].Element("skipped");
        Assert.IsNotNull(skipped);
        StringAssert.Contains(skipped.ToString(), "requires tags: gpu; no device of the run's pool has them: 'bench-plain' [routing], 'bench-wifi' [routing, wifi]");
        var trx = XDocument.Load(Path.Combine(_results, "routed.trx")).Descendants(Trx + "UnitTestResult")
            .ToDictionary(r => (string)r.Attribute("testName")!);
        Assert.AreEqual("NotExecuted", (string)trx["Needs_a_gpu"].Attribute("outcome")!);
        Assert.AreEqual("Passed", (string)trx["Wants_wifi"].Attribute("outcome")!);
    }

    [TestMethod]
    public async Task A_device_that_cannot_be_reached_fails_every_test_with_the_same_message_and_exit_code_with_or_without_a_filter()
    {
        // Without a filter the device is opened while the tests are discovered; with one, only once there are tests.
        using var closed = LoopbackPort.Reserve(); // held, nothing listens: the connection is refused
        var devices = Path.Combine(_results, "devices.yml");
        File.WriteAllText(devices, string.Create(
            CultureInfo.InvariantCulture, $"devices:\n  gone:\n    ssh: {{ host: 127.0.0.1, port: {closed.Number}, user: nobody, connect_timeout: 1s }}\n"));
        async Task<(int ExitCode, Dictionary<string, string> Results)> Run(string name, params string[] filter)
        {
            var (exitCode, output) = await Dotnet.RunAsync(
                ["test", HelloDevice, "--no-build", "--results-directory", _results, "--logger", $"trx;LogFileName={name}.trx", .. filter,
                 "--", $"DeviceTest.DevicesFile={devices}", "DeviceTest.Device=gone"]);
            var results = XDocument.Load(Path.Combine(_results, name + ".trx")).Descendants(Trx + "UnitTestResult").ToDictionary(
                r => (string)r.Attribute("testName")!,
                r => $"{(string)r.Attribute("outcome")!}: {r.Descendants(Trx + "Message").FirstOrDefault()?.Value}");
            Assert.HasCount(5, results, output);
            return (exitCode, results);
        }

        var ahead = await Run("ahead");
        var after = await Run("after", "--filter", "Spec=hello|Suite=HelloSuite");

        Assert.AreEqual(1, ahead.ExitCode);
        Assert.AreEqual(1, after.ExitCode);
        CollectionAssert.AreEquivalent(after.Results.ToList(), ahead.Results.ToList());
        Assert.IsTrue(ahead.Results.Values.All(r => r.StartsWith("Failed: ", StringComparison.Ordinal) && r.Contains("cannot open device 'gone'", StringComparison.Ordinal)), string.Join("\n", ahead.Results.Values));
    }

    [TestMethod]
    public async Task Listing_the_tests_never_connects_to_the_device()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid", "pgrep");
        await using var board = await SshBoard.StartAsync();
        var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        var devices = Path.Combine(_results, "devices.yml");
        File.WriteAllText(devices, $"devices:\n  bench:\n    ssh: {{ host: {board.Host}, port: {board.Port}, user: {board.User}, identity: '{board.IdentityFile}', options: {{ {options} }} }}\n");

        var (exitCode, output) = await Dotnet.RunAsync(
            ["test", HelloDevice, "--no-build", "--list-tests", "--", $"DeviceTest.DevicesFile={devices}", "DeviceTest.Device=bench"]);

        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "Shell_answers");
        Assert.AreEqual(0, await board.LoginsSoFarAsync());
    }

    private static int LineOf(string path, string text) =>
        File.ReadAllLines(path).Select((line, index) => (line, index)).First(p => p.line.Contains(text, StringComparison.Ordinal)).index + 1;

    [GeneratedRegex(@"\[\[ATTACHMENT\|(.+?)\]\]")]
    private static partial Regex AttachmentLine();
}
