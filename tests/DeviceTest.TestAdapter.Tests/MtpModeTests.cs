using System.Xml.Linq;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;
using DeviceTest.TestAdapter.Tests.Fakes;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>
/// DeviceTest in Microsoft.Testing.Platform mode (<c>EnableDeviceTestRunner</c>, the VSTest bridge): a temp project
/// with a global.json that selects the MTP runner, built once for the class. Runs <c>dotnet test</c>, the apphost and
/// <c>dotnet run</c> as a user does.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class MtpModeTests
{
    private static MtpTestProject? s_project;

    private static MtpTestProject Project => s_project ?? throw new InvalidOperationException("the class initializer did not run");

    [ClassInitialize]
    public static async Task BuildProject(TestContext context)
    {
        var (tasksExit, tasksOutput) = await Dotnet.RunAsync(["build", Path.Combine("src", "Tasks"), "-v", "q", "-nologo"]);
        Assert.AreEqual(0, tasksExit, tasksOutput);
        s_project = new MtpTestProject();
        s_project.Write();
        var (exitCode, output) = await s_project.RunAsync("dotnet", ["build", "-v", "q", "-nologo"]);
        Assert.AreEqual(0, exitCode, output);
    }

    [ClassCleanup]
    public static void DeleteProject() => s_project?.Dispose();

    [TestCleanup]
    public void DeleteDevicesFile() => File.Delete(Path.Combine(Project.Directory, "devices.yml"));

    [TestMethod]
    public async Task Dotnet_test_in_MTP_mode_fails_the_run_naming_the_failing_test_and_passes_the_others()
    {
        var (exitCode, output) = await Project.RunAsync("dotnet", ["test", "--no-build"]);

        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "failed fails");
        StringAssert.Contains(output, "something broke");
        StringAssert.Contains(output, "total: 3");
        StringAssert.Contains(output, "failed: 1");
        StringAssert.Contains(output, "succeeded: 2");
    }

    [TestMethod]
    public async Task The_app_runs_on_its_own_and_its_test_nodes_carry_outcomes_messages_and_source_lines()
    {
        var log = Path.Combine(Project.Directory, "nodes.log");
        File.Delete(log);

        var (exitCode, output) = await Project.RunAsync(Project.AppHost, [], new Dictionary<string, string> { ["MTP_NODE_LOG"] = log });

        Assert.AreEqual(2, exitCode, output);
        var nodes = File.ReadAllLines(log).Select(l => l.Split('\t')).ToDictionary(f => f[0]);
        CollectionAssert.AreEquivalent(new[] { "passes", "fails", "Shell_answers" }, nodes.Keys.ToArray());
        Assert.AreEqual("PassedTestNodeStateProperty", nodes["passes"][1]);
        Assert.AreEqual("FailedTestNodeStateProperty", nodes["fails"][1]);
        StringAssert.Contains(nodes["fails"][2], "exit code 2");
        Assert.AreEqual("PassedTestNodeStateProperty", nodes["Shell_answers"][1]);

        // Source locations: the YAML line of each spec test, the suite's .cs file.
        Assert.AreEqual(Project.SpecPath, nodes["passes"][3]);
        Assert.AreEqual(LineOf(Project.SpecPath, "- name: passes"), int.Parse(nodes["passes"][4], System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual(LineOf(Project.SpecPath, "- name: fails"), int.Parse(nodes["fails"][4], System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual(Project.SuitePath, nodes["Shell_answers"][3]);
    }

    [TestMethod]
    public async Task The_app_takes_the_DeviceTest_settings_as_options_and_a_broken_devices_file_fails_the_run()
    {
        Project.WriteDevicesFile("devices:\n  bench:\n    tags: [lab]\n");

        var (exitCode, output) = await Project.RunAsync(Project.AppHost, ["--devicetest-device", "bench", "--filter", "Spec=smoke"]);

        Assert.AreNotEqual(0, exitCode, output);
        StringAssert.Contains(output, "device `bench` has no way to reach it");
        StringAssert.Contains(output, "not run: no device to run on");
        StringAssert.Contains(output, "failed: 2");

        var (badExit, badOutput) = await Project.RunAsync(Project.AppHost, ["--devicetest-parallel", "zero"]);
        Assert.AreNotEqual(0, badExit, badOutput);
        StringAssert.Contains(badOutput, "--devicetest-parallel 'zero' is not valid");
    }

    [TestMethod]
    public async Task Dotnet_run_lists_the_devices_of_devices_yml_and_local()
    {
        Project.WriteDevicesFile("devices:\n  bench:\n    tags: [lab]\n    ssh: { host: 127.0.0.1, port: 9, user: nobody }\n");

        var (exitCode, output) = await Project.RunAsync("dotnet", ["run", "--no-build", "--list-devices"]);

        Assert.AreEqual(0, exitCode, output);
        StringAssert.Contains(output, "local - this machine");
        StringAssert.Contains(output, "bench - ssh nobody@127.0.0.1:9 [lab]");
    }

    [TestMethod]
    public async Task The_device_chosen_for_dotnet_test_and_dotnet_run_is_the_one_tests_run_on()
    {
        // A second name for this machine, reached over the lab's sshd: the tests must name it, not 'local'.
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid", "pgrep");
        await using var board = await SshBoard.StartAsync();
        var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        Project.WriteDevicesFile(
            $"devices:\n  bench:\n    ssh: {{ host: {board.Host}, port: {board.Port}, user: {board.User}, identity: '{board.IdentityFile}', options: {{ {options} }} }}\n");
        var deviceLog = Path.Combine(Project.Directory, "device.log");
        File.Delete(deviceLog);
        var environment = new Dictionary<string, string> { ["MTP_DEVICE_LOG"] = deviceLog };

        // dotnet test in MTP mode: -p:Device is the SDK's device property.
        var (testExit, testOutput) = await Project.RunAsync("dotnet", ["test", "--no-build", "-p:Device=bench"], environment);
        Assert.AreEqual(2, testExit, testOutput);
        StringAssert.Contains(testOutput, "failed fails");
        StringAssert.Contains(testOutput, "succeeded: 2");

        // dotnet run with its device option: the SDK device contract (DeployToDevice, then the app's run arguments).
        var (runExit, runOutput) = await Project.RunAsync("dotnet", ["run", "--no-build", "--device", "bench"], environment);
        Assert.AreEqual(2, runExit, runOutput);
        StringAssert.Contains(runOutput, "succeeded: 2");

        CollectionAssert.AreEqual(new[] { "bench", "bench" }, File.ReadAllLines(deviceLog));
    }

    [TestMethod]
    public async Task Dotnet_test_in_MTP_mode_writes_trx_through_the_TrxReport_extension()
    {
        var results = Path.Combine(Project.Directory, "TestResults-trx");
        var (exitCode, output) = await Project.RunAsync(
            "dotnet", ["test", "--no-build", "--report-trx", "--report-trx-filename", "mtp.trx", "--results-directory", results]);

        Assert.AreEqual(2, exitCode, output);
        XNamespace trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var document = XDocument.Load(Path.Combine(results, "mtp.trx"));
        var outcomes = document.Descendants(trx + "UnitTestResult").ToDictionary(r => (string)r.Attribute("testName")!, r => (string)r.Attribute("outcome")!);
        Assert.AreEqual("Passed", outcomes["passes"]);
        Assert.AreEqual("Failed", outcomes["fails"]);
        Assert.AreEqual("Passed", outcomes["Shell_answers"]);
        var failed = document.Descendants(trx + "UnitTestResult").Single(r => (string)r.Attribute("testName")! == "fails");
        StringAssert.Contains(failed.Descendants(trx + "Message").Single().Value, "exit code 2");
    }

    private static int LineOf(string path, string text) =>
        File.ReadAllLines(path).Select((line, index) => (line, index)).First(p => p.line.Contains(text, StringComparison.Ordinal)).index + 1;
}
