using System.Globalization;
using DeviceTest.Framework.Results;
using TestResult = DeviceTest.Framework.Results.TestResult;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware.Local;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>Specs run for real on the <c>local</c> device.</summary>
[TestClass]
public sealed class LocalDeviceRunTests
{
    private string _results = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateResults() => _results = Directory.CreateTempSubdirectory("devicetest-local-run-").FullName;

    [TestCleanup]
    public void DeleteResults() => Directory.Delete(_results, recursive: true);

    [TestMethod]
    public async Task A_spec_runs_on_this_machine_with_sub_results_artifacts_and_a_skipped_reboot()
    {
        const string Script = """
            set -e
            mkdir -p "$TEST_DIR/1700000001.25-boot/metrics" "$TEST_DIR/1700000002-net"
            echo 42 > "$TEST_DIR/1700000001.25-boot/metrics/seconds"
            touch "$TEST_DIR/1700000002-net/failed"; echo "no route" > "$TEST_DIR/1700000002-net/log"
            uname -a > "$ARTIFACTS_DIR/uname.txt"
            echo "mode=$MODE"
            dirname "$TEST_DIR"
            """;
        var spec = SpecBuilder.Named("local-e2e")
            .Tests(
                SpecBuilder.Test("probe", Script, env: new Dictionary<string, string> { ["MODE"] = "quick" }),
                SpecBuilder.Argv("fails", "sh", "-c", "echo bad >&2; exit 5"))
            .Reboot()
            .Tests(SpecBuilder.Argv("after", "true"))
            .Build();
        var observer = new RecordingObserver();
        await using var device = new LocalDevice();

        var outcome = await new SpecRunner(device, new RunOptions { ResultsDirectory = _results }, observer)
            .RunAsync(spec, TestContext.CancellationToken);

        Assert.AreEqual(2, outcome.Passed);
        Assert.AreEqual(1, outcome.Failed);
        var probe = observer.Results[0];
        Assert.AreEqual(TestOutcome.Passed, probe.Outcome, probe.Details);
        CollectionAssert.AreEqual(new[] { "boot", "net" }, probe.SubResults.Select(s => s.Name).ToArray());
        Assert.AreEqual(42, probe.SubResults[0].Metrics["seconds"]);
        Assert.AreEqual(TestOutcome.Failed, probe.SubResults[1].Outcome);
        Assert.AreEqual("no route\n", probe.SubResults[1].Details);
        var console = await File.ReadAllLinesAsync(probe.Attachments[0], TestContext.CancellationToken);
        Assert.AreEqual("mode=quick", console[0]);
        Assert.IsFalse(Directory.Exists(console[1]), "the work dir is removed from the device");
        Assert.EndsWith("uname.txt", probe.Attachments[1]);
        var fails = observer.Results[1];
        Assert.AreEqual("exit code 5", fails.Message);
        StringAssert.Contains(fails.Details, "bad");
        Assert.AreEqual(StepStatus.Skipped, observer.StepOutcomes.Single().Status);
    }

    [TestMethod]
    public async Task A_timed_out_test_leaves_no_process_behind()
    {
        var pidFile = Path.Combine(_results, "pids");
        var spec = SpecBuilder.Named("timeout")
            .Tests(SpecBuilder.Test("hang", $"sleep 1000 & echo $! > {pidFile}; sleep 1000 & wait", TimeSpan.FromSeconds(1)))
            .Build();
        var observer = new RecordingObserver();
        await using var device = new LocalDevice();

        await new SpecRunner(device, new RunOptions { ResultsDirectory = _results }, observer)
            .RunAsync(spec, TestContext.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.CancellationToken);

        Assert.AreEqual("timed out after 1s (process group killed)", observer.Results.Single().Message);
        var child = int.Parse((await File.ReadAllTextAsync(pidFile, TestContext.CancellationToken)).Trim(), CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.Exists($"/proc/{child}") && !IsZombie(child) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.CancellationToken);
        }

        Assert.IsFalse(Directory.Exists($"/proc/{child}") && !IsZombie(child), $"background child {child} still runs");
    }

    [TestMethod]
    public async Task Fifty_megabytes_of_output_go_to_console_log_not_to_memory()
    {
        const long Size = 50L * 1024 * 1024;
        var spec = SpecBuilder.Named("loud").Tests(SpecBuilder.Test("loud", $"head -c {Size} /dev/zero | tr '\\0' 'x'; exit 1")).Build();
        var observer = new RecordingObserver();
        await using var device = new LocalDevice();

        await new SpecRunner(device, new RunOptions { ResultsDirectory = _results }, observer)
            .RunAsync(spec, TestContext.CancellationToken);

        var result = observer.Results.Single();
        Assert.AreEqual(Size, new FileInfo(result.Attachments[0]).Length);
        Assert.IsLessThan(SpecRunner.MaxCapturedBytes + 200, result.Stdout.Length);
        StringAssert.Contains(result.Stdout, "console.log has all of it");
        Assert.AreEqual("exit code 1", result.Message);
        Assert.IsLessThan(5000, result.Details!.Length, "the last lines are cut, not the whole output");
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
