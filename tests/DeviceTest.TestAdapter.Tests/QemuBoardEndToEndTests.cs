using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;
using DeviceTest.TestAdapter.Tests.Fakes;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>
/// Runs <c>dotnet test samples/QemuBoard</c> as a user does, on the lab's QEMU board, and reads the TRX and JUnit files.
/// The sample's devices.yml forwards fixed ports; the runs here use a copy with held ports (<see cref="LoopbackPort"/>, and absolute paths),
/// given with <c>-- DeviceTest.DevicesFile=...</c>, so they do not collide with anything else on the machine.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed partial class QemuBoardEndToEndTests
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private static readonly string Sample = Path.Combine("samples", "QemuBoard");
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8);
    private string _results = string.Empty;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task RequireTheLabAndBuild()
    {
        LabRequirement.Programs("qemu-system-x86_64", "ssh");
        await QemuBoard.RequireAsync(CancellationToken.None);
        _results = Directory.CreateTempSubdirectory("devicetest-qemu-e2e-").FullName;
        var (exitCode, output) = await Dotnet.RunAsync(["build", Sample, "-v", "q", "-nologo"]);
        Assert.AreEqual(0, exitCode, output);
    }

    [TestCleanup]
    public void DeleteResults()
    {
        if (_results.Length > 0)
        {
            Directory.Delete(_results, recursive: true);
        }
    }

    [TestMethod]
    public async Task The_default_run_is_green_reboots_in_the_middle_and_reports_lines_attachments_and_sub_results()
    {
        var junitPath = Path.Combine(_results, "junit.xml");
        var (exitCode, output) = await RunAsync(
            "--logger", "trx;LogFileName=board.trx", "--logger", $"junit;LogFilePath={junitPath}", "--logger", "console;verbosity=normal");
        TestContext.WriteLine(output);

        Assert.AreEqual(0, exitCode, output);
        var trx = XDocument.Load(Path.Combine(_results, "board.trx"));
        var top = trx.Descendants(Trx + "Results").Single().Elements(Trx + "UnitTestResult").ToDictionary(r => (string)r.Attribute("testName")!);
        CollectionAssert.AreEquivalent(
            new[] { "kernel", "hostname", "artifact", "mark tmp", "checks", "tmp cleared", "artifact back", "report", "Runs_busybox", "Has_the_lab_address", "Console_saw_the_boot" },
            top.Keys.ToArray(),
            "the default filter leaves out demo-failure");
        foreach (var (name, result) in top)
        {
            Assert.AreEqual("Passed", (string)result.Attribute("outcome")!, $"{name}: {result}");
            Assert.IsGreaterThan(TimeSpan.Zero, TimeSpan.Parse((string)result.Attribute("duration")!, CultureInfo.InvariantCulture), name);
        }

        // The DeviceArtifact went to the board after it booted, before its first test.
        StringAssert.Contains(output, "DeviceArtifact items on 'qemu-board': 1 file(s) sent");
        Assert.AreEqual(2, Regex.Count(output, "DeviceArtifact items on 'qemu-board': 1 file\\(s\\) sent"), "deployed after boot and again after the reboot:\n" + output);

        // The reboot really happened: "mark tmp" wrote to /tmp (in RAM) before it, "tmp cleared" found it gone.
        StringAssert.Contains(output, "device 'qemu-board': reboot at", "the reboot step ran");

        // Sub-results nest under their test, as data rows do.
        var checks = top["checks"];
        var inner = checks.Element(Trx + "InnerResults")!.Elements(Trx + "UnitTestResult").ToList();
        CollectionAssert.AreEqual(new[] { "network", "ssh" }, inner.Select(r => (string)r.Attribute("testName")!).ToArray());
        Assert.IsTrue(inner.All(r => (string)r.Attribute("parentExecutionId")! == (string)checks.Attribute("executionId")!));
        Assert.IsTrue(inner.All(r => (string)r.Attribute("outcome")! == "Passed"));
        StringAssert.Contains(inner[0].Descendants(Trx + "TextMessages").Single().Value, "metric ipv4_addresses = 1");

        // Attachments are copied into the TRX run folder.
        var runFolder = Directory.GetDirectories(_results).Single(d => Directory.Exists(Path.Combine(d, "In")));
        var report = top["report"];
        var files = report.Descendants(Trx + "ResultFile").Select(f => (string)f.Attribute("path")!).ToList();
        var uname = files.Single(f => f.EndsWith("uname.txt", StringComparison.Ordinal));
        StringAssert.Contains(File.ReadAllText(Path.Combine(runFolder, "In", (string)report.Attribute("executionId")!, uname)), "devicetest-qemu");
        Assert.IsTrue(files.Any(f => f.EndsWith("console.log", StringComparison.Ordinal)));

        var cases = XDocument.Load(junitPath).Descendants("testcase").ToDictionary(c => (string)c.Attribute("name")!);
        Assert.HasCount(13, cases, "eleven tests and the two sub-results of checks: " + string.Join(", ", cases.Keys));
        Assert.IsTrue(cases.ContainsKey("checks/network") && cases.ContainsKey("checks/ssh"), string.Join(", ", cases.Keys));
        Assert.IsTrue(cases.Values.All(c => c.Element("failure") is null && c.Element("skipped") is null));
        var spec = Path.Combine(Dotnet.RepositoryRoot, Sample, "board.spec.yml");
        Assert.AreEqual("DeviceTest.Specs.board", (string)cases["tmp cleared"].Attribute("classname")!);
        Assert.AreEqual(spec, (string)cases["tmp cleared"].Attribute("file")!);
        Assert.AreEqual(LineOf(spec, "- name: tmp cleared"), (int)cases["tmp cleared"].Attribute("line")!);
        Assert.AreEqual(LineOf(spec, "- name: kernel"), (int)cases["kernel"].Attribute("line")!);
        Assert.AreEqual("QemuBoard.BoardSuite", (string)cases["Runs_busybox"].Attribute("classname")!);
        StringAssert.EndsWith((string)cases["Runs_busybox"].Attribute("file")!, "BoardSuite.cs");
        StringAssert.Contains(cases["checks"].ToString(), "network");
        var attachments = AttachmentLine().Matches((string)cases["report"].Element("system-out")!).Select(m => m.Groups[1].Value).ToList();
        Assert.IsTrue(attachments.Any(a => a.EndsWith("uname.txt", StringComparison.Ordinal)), string.Join(", ", attachments));
        Assert.IsTrue(attachments.All(File.Exists), string.Join(", ", attachments));
    }

    [TestMethod]
    public async Task The_same_project_runs_green_on_the_arm64_board()
    {
        await QemuBoard.RequireAsync(QemuBoardImage.Arm64, CancellationToken.None);

        var (exitCode, output) = await RunOnAsync("qemu-arm64", "--logger", "trx;LogFileName=arm64.trx", "--logger", "console;verbosity=normal");
        TestContext.WriteLine(output);

        Assert.AreEqual(0, exitCode, output);
        var trx = XDocument.Load(Path.Combine(_results, "arm64.trx"));
        var top = trx.Descendants(Trx + "Results").Single().Elements(Trx + "UnitTestResult").ToList();
        Assert.HasCount(11, top);
        Assert.IsTrue(top.All(r => (string)r.Attribute("outcome")! == "Passed"), string.Join("\n", top.Select(r => $"{r.Attribute("testName")}: {r.Attribute("outcome")}")));
        StringAssert.Contains(output, "DeviceArtifact items on 'qemu-arm64': 1 file(s) sent");
        StringAssert.Contains(output, "device 'qemu-arm64': reboot at");

        var report = top.Single(r => (string)r.Attribute("testName")! == "report");
        var runFolder = Directory.GetDirectories(_results).Single(d => Directory.Exists(Path.Combine(d, "In")));
        var uname = report.Descendants(Trx + "ResultFile").Select(f => (string)f.Attribute("path")!).Single(f => f.EndsWith("uname.txt", StringComparison.Ordinal));
        StringAssert.Contains(File.ReadAllText(Path.Combine(runFolder, "In", (string)report.Attribute("executionId")!, uname)), "aarch64");
    }

    [TestMethod]
    public async Task The_demo_failure_shows_up_when_the_filter_selects_it()
    {
        var junitPath = Path.Combine(_results, "demo.xml");
        var (exitCode, output) = await RunAsync(
            "--filter", "Spec=demo-failure", "--logger", "trx;LogFileName=demo.trx", "--logger", $"junit;LogFilePath={junitPath}");
        TestContext.WriteLine(output);

        Assert.AreEqual(1, exitCode, output);
        StringAssert.Contains(output, "Failed wrong hostname");
        var result = XDocument.Load(Path.Combine(_results, "demo.trx")).Descendants(Trx + "UnitTestResult").Single();
        Assert.AreEqual("Failed", (string)result.Attribute("outcome")!);
        StringAssert.Contains(result.Descendants(Trx + "StdOut").Single().Value, "hostname is devicetest-qemu");

        var testCase = XDocument.Load(junitPath).Descendants("testcase").Single();
        StringAssert.Contains((string)testCase.Element("failure")!.Attribute("message")!, "exit code 1");
        var spec = Path.Combine(Dotnet.RepositoryRoot, Sample, "demo-failure.spec.yml");
        Assert.AreEqual(LineOf(spec, "- name: wrong hostname"), (int)testCase.Attribute("line")!);
    }

    /// <summary><c>dotnet test samples/QemuBoard --no-build</c> with a copy of its devices.yml on free ports.</summary>
    private Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => RunOnAsync(null, arguments);

    private async Task<(int ExitCode, string Output)> RunOnAsync(string? device, params string[] arguments)
    {
        var devices = Path.Combine(_results, "devices.yml");
        var sampleDirectory = Path.Combine(Dotnet.RepositoryRoot, Sample);
        using var first = LoopbackPort.Reserve(); // held until the run ends: QEMU's forwards bind them
        using var second = LoopbackPort.Reserve();
        var text = File.ReadAllText(Path.Combine(sampleDirectory, "devices.yml"))
            .Replace("42022", first.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("42023", second.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("../../build/lab/out/", QemuBoard.OutDirectory + "/", StringComparison.Ordinal);
        File.WriteAllText(devices, text);
        string[] settings = device is null ? [$"DeviceTest.DevicesFile={devices}"] : [$"DeviceTest.DevicesFile={devices}", $"DeviceTest.Device={device}"];
        return await Dotnet.RunAsync(
            ["test", Sample, "--no-build", "--results-directory", _results, .. arguments, "--", .. settings],
            timeout: RunTimeout);
    }

    private static int LineOf(string path, string text) =>
        File.ReadAllLines(path).Select((line, index) => (line, index)).First(p => p.line.Contains(text, StringComparison.Ordinal)).index + 1;

    [GeneratedRegex(@"\[\[ATTACHMENT\|(.+?)\]\]")]
    private static partial Regex AttachmentLine();
}
