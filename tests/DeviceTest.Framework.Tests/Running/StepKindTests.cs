using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>
/// Step kinds made in a test (<see cref="ProbeStep"/>, <see cref="LinkStep"/>) and registered with the loader: a step
/// that fails reports like a test with a file attached; a step's undo action runs when the spec ends, however it ends.
/// </summary>
[TestClass]
public sealed class StepKindTests
{
    private string _results = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateResults() => _results = Directory.CreateTempSubdirectory("devicetest-kinds-").FullName;

    [TestCleanup]
    public void DeleteResults() => Directory.Delete(_results, recursive: true);

    [TestMethod]
    public async Task A_failing_custom_step_reports_a_failed_result_with_its_file_attached_and_the_run_goes_on()
    {
        var spec = TestStepKinds.Load("""
            name: screens
            sequence:
              - probe: { name: splash, pass: false }
              - tests:
                  - name: after
                    command: run-after
            """);
        await using var device = new RecordingDevice("board");
        var attachedWhenReported = new List<bool>();
        var observer = new RecordingObserver { OnResult = r => attachedWhenReported.AddRange(r.Attachments.Select(File.Exists)) };

        var summary = await RunAsync(spec, device, observer);

        CollectionAssert.AreEqual(new[] { "run probe splash", "run run-after" }, device.Events);
        Assert.AreEqual(1, summary.Failed);
        Assert.AreEqual(1, summary.Passed);
        var probe = observer.Results[0];
        Assert.AreEqual("screens/0/probe splash", probe.TestId);
        Assert.AreEqual("probe splash", probe.Name);
        Assert.AreEqual("screens", probe.SuiteName);
        Assert.AreEqual(TestOutcome.Failed, probe.Outcome);
        Assert.AreEqual("the frame did not match 'splash'", probe.Message);
        Assert.AreEqual("kinds.spec.yml", probe.SourceFile);
        Assert.AreEqual(3, probe.SourceLine, "the step's line");
        var frame = Path.Combine(_results, "screens", "step01-splash", "frame.txt");
        CollectionAssert.AreEqual(new[] { frame }, probe.Attachments.ToArray());
        Assert.AreEqual("last frame of splash", await File.ReadAllTextAsync(frame, TestContext.CancellationToken));
        CollectionAssert.AreEqual(new[] { true, true }, attachedWhenReported, "the frame and the next test's console.log exist when reported");
        CollectionAssert.Contains(probe.Properties.ToList(), new KeyValuePair<string, string>("device", "board"));
        CollectionAssert.AreEqual(new[] { "probe-start splash", "finish probe splash Failed", "probe-finish splash", "start after", "finish after Passed" }, observer.Events);
    }

    [TestMethod]
    public async Task A_step_s_own_result_is_announced_to_BeforeTest_with_its_place_so_the_agent_can_record_it()
    {
        var spec = TestStepKinds.Load("""
            sequence:
              - tests:
                  - name: first
                    command: run-first
              - probe: { name: splash, pass: false }
            """);
        await using var device = new RecordingDevice();
        var announced = new List<string>();
        var options = new RunOptions
        {
            ResultsDirectory = _results,
            BeforeTest = (starting, _) =>
            {
                announced.Add($"{starting.Name}@{starting.Position.StepIndex}/{starting.Position.TestIndex}/{starting.Position.Iteration} test={starting.Test?.Name ?? "none"}");
                return Task.CompletedTask;
            },
        };

        await new SpecWorkItem(spec, options).RunAsync(device, new RecordingObserver(), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "first@0/0/1 test=first", "probe splash@1/0/1 test=none" }, announced);
    }

    [TestMethod]
    public async Task A_fatal_custom_step_fails_the_later_tests_without_running_them_and_later_steps_do_not_run()
    {
        var spec = TestStepKinds.Load("""
            sequence:
              - probe: { name: boot, pass: false, fatal: true }
              - link: down
              - tests:
                  - name: later
                    command: run-later
            """);
        await using var device = new RecordingDevice();
        var observer = new RecordingObserver();

        var summary = await RunAsync(spec, device, observer);

        CollectionAssert.AreEqual(new[] { "run probe boot" }, device.Events, "neither the link step nor the test ran");
        Assert.AreEqual(2, summary.Failed);
        Assert.AreEqual("later", observer.Results[1].Name);
        StringAssert.StartsWith(observer.Results[1].Message, "probe 'boot' failed at kinds.spec.yml:2:5");
    }

    [TestMethod]
    public async Task An_undo_action_runs_when_the_spec_ends_after_a_failed_test()
    {
        var spec = LinkDownThen("offline", "run-offline");
        await using var device = new RecordingDevice();
        device.Always("run-offline", new ScriptedRun { ExitCode = 1 });
        var observer = new RecordingObserver();

        var summary = await RunAsync(spec, device, observer);

        Assert.AreEqual(1, summary.Failed);
        CollectionAssert.AreEqual(new[] { "run link-down", "run run-offline", "run link-up" }, device.Events);
    }

    [TestMethod]
    public async Task An_undo_action_runs_when_the_run_is_cancelled()
    {
        var spec = LinkDownThen("hangs", "run-hangs");
        await using var device = new RecordingDevice();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        device.Always("run-hangs", new ScriptedRun { Hangs = true, OnStart = () => cancel.CancelAfter(50) });

        var summary = await new SpecWorkItem(spec, new RunOptions { ResultsDirectory = _results })
            .RunAsync(device, new RecordingObserver(), cancel.Token)
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.CancellationToken);

        Assert.IsTrue(summary.Cancelled);
        CollectionAssert.AreEqual(new[] { "run link-down", "run run-hangs", "run link-up" }, device.Events);
    }

    [TestMethod]
    public async Task An_undo_action_runs_when_the_device_becomes_unreachable()
    {
        var spec = LinkDownThen("gone", "run-gone");
        await using var device = new RecordingDevice();
        device.Next("run-gone", new ScriptedRun { Throws = new DeviceUnreachableException("connection refused") });

        await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(
            () => RunAsync(spec, device, new RecordingObserver()));

        CollectionAssert.AreEqual(new[] { "run link-down", "run run-gone", "run link-up" }, device.Events);
    }

    [TestMethod]
    public async Task A_later_step_that_puts_things_back_removes_the_undo_action()
    {
        var spec = TestStepKinds.Load("""
            sequence:
              - link: down
              - link: down
              - link: up
              - tests:
                  - name: online
                    command: run-online
            """);
        await using var device = new RecordingDevice();

        await RunAsync(spec, device, new RecordingObserver());

        CollectionAssert.AreEqual(new[] { "run link-down", "run link-down", "run link-up", "run run-online" }, device.Events);
    }

    [TestMethod]
    public async Task An_undo_action_that_fails_is_a_warning_and_the_result_stands()
    {
        var spec = LinkDownThen("offline", "run-offline");
        await using var device = new RecordingDevice("board");
        device.Always("link-up", new ScriptedRun { Throws = new IOException("switch port not answering") });
        var observer = new RecordingObserver();

        var summary = await RunAsync(spec, device, observer);

        Assert.AreEqual(1, summary.Passed);
        CollectionAssert.Contains(
            observer.Messages,
            "warning: could not bring the link up on device 'board' at the end of the spec: switch port not answering");
    }

    private Task<RunSummary> RunAsync(TestSpec spec, RecordingDevice device, RecordingObserver observer) =>
        new SpecWorkItem(spec, new RunOptions { ResultsDirectory = _results }).RunAsync(device, observer, TestContext.CancellationToken);

    /// <summary>A spec that takes the link down, then runs one test.</summary>
    private static TestSpec LinkDownThen(string name, string command) =>
        TestStepKinds.Load($"sequence:\n  - link: down\n  - tests:\n      - name: {name}\n        command: {command}\n");
}
