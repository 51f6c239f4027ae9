using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>
/// Specs with <c>screenshot</c>, <c>screen</c>, <c>keys</c> and <c>network</c> steps on a device whose screen,
/// keyboard and cable are real programs (<see cref="LabBench"/>): what runs, what is reported, what is put back.
/// </summary>
[TestClass]
public sealed class DeviceStepTests
{
    private LabBench _bench = null!;
    private string _results = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void Create()
    {
        _bench = new LabBench();
        _results = Path.Combine(_bench.Folder, "results");
    }

    [TestCleanup]
    public void Delete() => _bench.Delete();

    private TestSpec Load(string yaml)
    {
        var result = SpecLoader.LoadText(yaml, Path.Combine(_bench.Folder, "screens.spec.yml"));
        Assert.IsFalse(result.HasErrors, string.Join('\n', result.Diagnostics));
        return result.Spec!;
    }

    private BenchDevice Device(string? screen = LabBench.Pattern) => new(new RecordingDevice("board"), _bench.Capabilities(screen));

    private Task<RunSummary> RunAsync(TestSpec spec, Hardware.IDevice device, RecordingObserver observer, CancellationToken? token = null) =>
        new SpecWorkItem(spec, new RunOptions { ResultsDirectory = _results }).RunAsync(device, observer, token ?? TestContext.CancellationToken);

    [TestMethod]
    public async Task A_spec_takes_a_screenshot_waits_for_the_screen_types_and_cuts_the_cable_and_its_end_plugs_it_back()
    {
        await _bench.ReferenceAsync("pattern.png");
        var spec = Load("""
            name: screens
            sequence:
              - screenshot: { name: boot }
              - screen: { expect: pattern.png, timeout: 30s }
              - keys: { type: "Hi!\n" }
              - keys: { press: [ctrl-alt-delete] }
              - network: { link: down }
              - tests:
                  - name: offline
                    command: check-offline
            """);
        await using var device = Device();
        device.Commands.Always("check-offline", new ScriptedRun { OnStart = () => File.AppendAllText(_bench.Log, "test ran\n") });
        var existed = new List<bool>();
        var observer = new RecordingObserver { OnResult = r => existed.AddRange(r.Attachments.Select(File.Exists)) };

        var summary = await RunAsync(spec, device, observer);

        Assert.AreEqual(2, summary.Passed, string.Join('\n', observer.Results.Select(r => r.Message)));
        Assert.AreEqual(0, summary.Failed);
        var shot = observer.Results[0];
        Assert.AreEqual("screenshot boot", shot.Name);
        Assert.AreEqual("screens/0/screenshot boot", shot.TestId);
        Assert.AreEqual(Path.Combine(_results, "screens", "step01-screenshot_boot", "boot.png"), shot.Attachments.Single());
        Assert.IsTrue(existed.All(e => e), "attachments exist when reported");
        CollectionAssert.AreEqual(
            new[] { "key shift-h", "key i", "key shift-1", "key ret", "key ctrl-alt-delete", "link down", "test ran", "link up" },
            _bench.Lines.ToArray());
        Assert.AreEqual("board", device.Commands.TestRequests.Single().Environment[RunOptions.DeviceVariable]);
        CollectionAssert.Contains(observer.Events, "screen-start pattern.png");
    }

    [TestMethod]
    public async Task A_screen_that_does_not_match_is_reported_like_a_failed_test_with_the_last_frame_and_the_differences()
    {
        await _bench.ReferenceAsync("bars.png", "smptebars");
        var spec = Load("""
            name: screens
            sequence:
              - screen: { expect: bars.png, timeout: 2s }
              - tests:
                  - name: after
                    command: run-after
            """);
        await using var device = Device();
        var existed = new List<bool>();
        var observer = new RecordingObserver { OnResult = r => existed.AddRange(r.Attachments.Select(File.Exists)) };

        var summary = await RunAsync(spec, device, observer);

        Assert.AreEqual((1, 1), (summary.Failed, summary.Passed));
        var screen = observer.Results[0];
        Assert.AreEqual("screen bars.png", screen.Name);
        Assert.AreEqual(TestOutcome.Failed, screen.Outcome);
        StringAssert.StartsWith(screen.Message, "the screen did not match bars.png within 2s");
        StringAssert.Contains(screen.Message, "best similarity");
        CollectionAssert.AreEqual(new[] { "screen-last.png", "screen-difference.png" }, screen.Attachments.Select(Path.GetFileName).ToArray());
        Assert.IsTrue(existed.All(e => e));
        Assert.AreEqual(3, screen.SourceLine);
    }

    [TestMethod]
    public async Task A_device_without_a_screen_fails_the_step_and_says_how_to_give_it_one()
    {
        var spec = Load("sequence:\n  - screenshot: { name: boot }\n  - keys: { press: [ret] }\n");
        await using var device = Device(screen: null);
        var observer = new RecordingObserver();

        var summary = await RunAsync(spec, device, observer);

        Assert.AreEqual((1, 0), (summary.Failed, summary.Skipped));
        Assert.AreEqual(
            "device 'board' has no screen: give it a `screen:` section in devices.yml (QEMU boards have one of their own)",
            observer.Results[0].Message);
        CollectionAssert.AreEqual(new[] { "key ret" }, _bench.Lines.ToArray(), "the run goes on");
    }

    [TestMethod]
    public async Task A_failed_test_on_a_device_with_a_screen_gets_a_screenshot_and_a_passed_one_does_not()
    {
        var spec = Load("name: s\nsequence:\n  - tests:\n      - { name: good, command: run-good }\n      - { name: bad, command: run-bad }\n");
        await using var device = Device();
        device.Commands.Always("run-bad", new ScriptedRun { ExitCode = 1 });
        var observer = new RecordingObserver();

        await RunAsync(spec, device, observer);

        CollectionAssert.AreEqual(new[] { "console.log" }, observer.Results[0].Attachments.Select(Path.GetFileName).ToArray());
        CollectionAssert.AreEqual(new[] { "console.log", "screen.png" }, observer.Results[1].Attachments.Select(Path.GetFileName).ToArray());
        Assert.IsTrue(File.Exists(observer.Results[1].Attachments[1]));
    }

    [TestMethod]
    public async Task Cancelling_the_run_while_the_cable_is_cut_plugs_it_back()
    {
        var spec = Load("sequence:\n  - network: { link: down }\n  - tests:\n      - { name: hangs, command: run-hangs }\n");
        await using var device = Device();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        device.Commands.Always("run-hangs", new ScriptedRun { Hangs = true, OnStart = () => cancel.CancelAfter(50) });

        var summary = await RunAsync(spec, device, new RecordingObserver(), cancel.Token).WaitAsync(TimeSpan.FromSeconds(60), TestContext.CancellationToken);

        Assert.IsTrue(summary.Cancelled);
        CollectionAssert.AreEqual(new[] { "link down", "link up" }, _bench.Lines.ToArray());
    }
}
