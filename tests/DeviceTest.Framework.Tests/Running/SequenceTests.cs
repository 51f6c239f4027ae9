using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Tests.Doubles;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>The sequence around the steps, with steps of every kind (built-in and made in a test) on a recording device.</summary>
[TestClass]
public sealed class SequenceTests
{
    private const string Mixed = """
        name: mixed
        sequence:
          - tests:
              - name: a
                command: run-a
          - link: down
          - probe: { name: splash }
          - reboot: { command: /sbin/reboot }
          - tests:
              - name: b
                command: run-b
          - link: up
        """;

    private string _results = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateResults() => _results = Directory.CreateTempSubdirectory("devicetest-sequence-").FullName;

    [TestCleanup]
    public void DeleteResults() => Directory.Delete(_results, recursive: true);

    [TestMethod]
    public async Task Steps_of_every_kind_run_in_spec_order()
    {
        await using var device = new RecordingDevice();
        var observer = new RecordingObserver();

        var summary = await RunAsync(device, observer, new RunOptions { ResultsDirectory = _results });

        CollectionAssert.AreEqual(
            new[] { "run run-a", "run link-down", "run probe splash", "reboot /sbin/reboot", "run run-b", "run link-up" },
            device.Events);
        CollectionAssert.AreEqual(
            new[]
            {
                "start a", "finish a Passed", "probe-start splash", "probe-finish splash", "reboot-start /sbin/reboot",
                "reboot-finish /sbin/reboot", "start b", "finish b Passed",
            },
            observer.Events);
        Assert.AreEqual(("mixed", 2, 0, false), (summary.RunName, summary.Passed, summary.Failed, summary.Cancelled));
    }

    [TestMethod]
    public async Task A_filter_runs_the_steps_between_selected_tests_and_not_those_after_the_last()
    {
        await using var device = new RecordingDevice();

        await RunAsync(device, new RecordingObserver(), new RunOptions { ResultsDirectory = _results, TestFilter = t => t.Name == "a" });

        CollectionAssert.AreEqual(new[] { "run run-a" }, device.Events, "every step after a is followed by test b, which is not selected");
    }

    [TestMethod]
    public async Task A_filter_that_selects_a_later_test_runs_every_step_before_it()
    {
        await using var device = new RecordingDevice();

        await RunAsync(device, new RecordingObserver(), new RunOptions { ResultsDirectory = _results, TestFilter = t => t.Name == "b" });

        CollectionAssert.AreEqual(
            new[] { "run link-down", "run probe splash", "reboot /sbin/reboot", "run run-b", "run link-up" }, device.Events);
    }

    [TestMethod]
    public async Task A_device_without_the_spec_s_tags_runs_no_step_of_any_kind_and_skips_each_test()
    {
        var spec = TestStepKinds.Load("requires: { tags: [screen] }\n" + Mixed);
        await using var device = new RecordingDevice("headless", "arm64");
        var observer = new RecordingObserver();

        var summary = await new SpecWorkItem(spec, new RunOptions { ResultsDirectory = _results }).RunAsync(device, observer, TestContext.CancellationToken);

        Assert.IsEmpty(device.Events);
        Assert.AreEqual(2, summary.Skipped);
        Assert.IsTrue(observer.Results.All(r => r.Outcome == TestOutcome.Skipped && r.Message!.Contains("screen", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task A_resumed_run_starts_at_its_step_and_runs_nothing_before_it()
    {
        await using var device = new RecordingDevice();

        await RunAsync(device, new RecordingObserver(), new RunOptions { ResultsDirectory = _results, StartAt = new RunPosition(2, 0, 1) });

        CollectionAssert.AreEqual(new[] { "run probe splash", "reboot /sbin/reboot", "run run-b", "run link-up" }, device.Events);
    }

    [TestMethod]
    public async Task Cancelling_between_steps_ends_the_run_before_the_next_step()
    {
        await using var device = new RecordingDevice();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        device.Always("probe splash", new ScriptedRun { OnStart = cancel.Cancel });

        var summary = await RunAsync(device, new RecordingObserver(), new RunOptions { ResultsDirectory = _results }, cancel.Token);

        Assert.IsTrue(summary.Cancelled);
        CollectionAssert.AreEqual(new[] { "run run-a", "run link-down", "run probe splash", "run link-up" }, device.Events, "the link is put back");
    }

    private Task<RunSummary> RunAsync(RecordingDevice device, RecordingObserver observer, RunOptions options, CancellationToken? token = null) =>
        new SpecWorkItem(TestStepKinds.Load(Mixed), options).RunAsync(device, observer, token ?? TestContext.CancellationToken);
}
