using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware;
using TestResult = DeviceTest.Framework.Results.TestResult;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>What a spec run does when the device is lost or unreachable, a command throws, or the run is cancelled.</summary>
[TestClass]
public sealed class SpecRunnerFailureTests
{
    private string _results = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateResults() => _results = Directory.CreateTempSubdirectory("devicetest-runner-").FullName;

    [TestCleanup]
    public void DeleteResults() => Directory.Delete(_results, recursive: true);

    private RunOptions Options() => new() { ResultsDirectory = _results, TimeProvider = new ManualTimeProvider() };

    private async Task<RunSummary> RunAsync(TestSpec spec, RecordingDevice device, RecordingObserver observer, RunOptions? options = null) =>
        await new SpecRunner(device, options ?? Options(), observer).RunAsync(spec, TestContext.CancellationToken);

    [TestMethod]
    public async Task A_lost_device_fails_the_test_is_brought_back_and_the_run_goes_on()
    {
        var spec = SpecBuilder.Named("lost").Tests(SpecBuilder.Test("a", "a"), SpecBuilder.Test("b", "b")).Build();
        await using var device = new RecordingDevice();
        device.Next("a", new ScriptedRun { Throws = new DeviceLostException("ssh connection closed") });
        var observer = new RecordingObserver();

        var outcome = await RunAsync(spec, device, observer);

        CollectionAssert.AreEqual(new[] { "run a", "ensure-ready", "run b" }, device.Events);
        Assert.AreEqual("device lost: ssh connection closed", observer.Results[0].Message);
        Assert.AreEqual(1, outcome.Failed);
        Assert.AreEqual(1, outcome.Passed);
    }

    [TestMethod]
    public async Task A_lost_device_that_does_not_come_back_ends_the_run_as_unreachable()
    {
        var spec = SpecBuilder.Named("lost").Tests(SpecBuilder.Test("a", "a"), SpecBuilder.Test("b", "b")).Build();
        await using var device = new RecordingDevice { EnsureReadyThrows = new TimeoutException("no prompt") };
        device.Next("a", new ScriptedRun { Throws = new DeviceLostException("ssh connection closed") });
        var observer = new RecordingObserver();

        var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(() => RunAsync(spec, device, observer));

        StringAssert.Contains(error.Message, "no prompt");
        Assert.HasCount(1, observer.Results);
        Assert.AreEqual("device lost: ssh connection closed", observer.Results[0].Message);
    }

    [TestMethod]
    public async Task An_unreachable_device_reports_the_test_failed_and_stops_the_run()
    {
        var spec = SpecBuilder.Named("gone").Tests(SpecBuilder.Test("a", "a"), SpecBuilder.Test("b", "b")).Build();
        await using var device = new RecordingDevice();
        device.Next("a", new ScriptedRun { Throws = new DeviceUnreachableException("connection refused") });
        var observer = new RecordingObserver();

        await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(() => RunAsync(spec, device, observer));

        CollectionAssert.AreEqual(new[] { "run a" }, device.Events);
        Assert.AreEqual("device unreachable: connection refused", observer.Results.Single().Message);
    }

    [TestMethod]
    public async Task A_cancellation_that_is_not_the_run_s_fails_only_the_test()
    {
        var spec = SpecBuilder.Named("oce").Tests(SpecBuilder.Test("a", "a"), SpecBuilder.Test("b", "b")).Build();
        await using var device = new RecordingDevice();
        device.Next("a", new ScriptedRun { Throws = new TaskCanceledException("transport gave up") });
        var observer = new RecordingObserver();

        var outcome = await RunAsync(spec, device, observer);

        Assert.IsFalse(outcome.Cancelled);
        Assert.AreEqual(1, outcome.Failed);
        Assert.AreEqual(1, outcome.Passed);
        StringAssert.Contains(observer.Results[0].Message, "transport gave up");
    }

    [TestMethod]
    public async Task Cancelling_stops_the_running_test_without_reporting_it()
    {
        var spec = SpecBuilder.Named("stop").Tests(SpecBuilder.Test("a", "a"), SpecBuilder.Test("b", "b"), SpecBuilder.Test("c", "c")).Build();
        await using var device = new RecordingDevice();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        device.Always("b", new ScriptedRun { Stdout = "partial\n", Hangs = true, OnStart = () => cancel.CancelAfter(50) });
        var observer = new RecordingObserver();

        var outcome = await new SpecRunner(device, Options(), observer).RunAsync(spec, cancel.Token)
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.CancellationToken);

        Assert.IsTrue(outcome.Cancelled);
        Assert.AreEqual(1, outcome.Passed);
        CollectionAssert.AreEqual(new[] { "start a", "finish a Passed", "start b" }, observer.Events);
        Assert.IsTrue(observer.Messages.Any(m => m.Contains("'b'", StringComparison.Ordinal) && m.Contains("not reported", StringComparison.Ordinal)));
        Assert.AreEqual("partial\n", await File.ReadAllTextAsync(Path.Combine(_results, "stop", "02-b", "console.log"), TestContext.CancellationToken));
        Assert.AreEqual(0, device.LiveWorkDirectories);
    }

    [TestMethod]
    public async Task Cancelling_during_a_repeat_delay_ends_the_run()
    {
        var spec = SpecBuilder.Named("wait").Tests(new RepeatPolicy(5, 3600), SpecBuilder.Test("a", "a")).Build();
        await using var device = new RecordingDevice();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var observer = new RecordingObserver { OnResult = _ => cancel.Cancel() };

        var outcome = await new SpecRunner(device, new RunOptions { ResultsDirectory = _results }, observer)
            .RunAsync(spec, cancel.Token).WaitAsync(TimeSpan.FromSeconds(60), TestContext.CancellationToken);

        Assert.IsTrue(outcome.Cancelled);
        Assert.AreEqual(1, outcome.Passed);
    }

    [TestMethod]
    public async Task Without_a_results_directory_attachments_live_until_the_observer_returns()
    {
        var spec = SpecBuilder.Named("tmp").Tests(SpecBuilder.Test("a", "a")).Build();
        await using var device = new RecordingDevice();
        device.Always("a", new ScriptedRun { Stdout = "hello\n", Artifacts = new Dictionary<string, string> { ["x.bin"] = "x" } });
        var seen = new List<string>();
        var observer = new RecordingObserver
        {
            OnResult = r =>
            {
                foreach (var path in r.Attachments)
                {
                    Assert.IsTrue(File.Exists(path), path);
                    seen.Add(path);
                }
            },
        };

        await new SpecRunner(device, new RunOptions(), observer).RunAsync(spec, TestContext.CancellationToken);

        Assert.HasCount(2, seen);
        Assert.IsTrue(seen.All(p => !File.Exists(p)), "the temporary results are gone after the run");
    }

    [TestMethod]
    public async Task Work_directory_failure_fails_the_test_with_the_reason()
    {
        var spec = SpecBuilder.Named("wd").Tests(SpecBuilder.Test("a", "a")).Build();
        var device = new BrokenMktempDevice();
        var observer = new RecordingObserver();

        await new SpecRunner(device, Options(), observer).RunAsync(spec, TestContext.CancellationToken);

        var result = observer.Results.Single();
        Assert.AreEqual(TestOutcome.Failed, result.Outcome);
        StringAssert.StartsWith(result.Message, "could not create a work directory (TEST_DIR, ARTIFACTS_DIR) on device 'broken'");
        StringAssert.Contains(result.Message, "read-only file system");
    }

    private sealed class BrokenMktempDevice : IDevice
    {
        public string Name => "broken";

        public IReadOnlyList<string> Tags => [];

        public IReadOnlyList<string> Transports => [];

        public IFileTransfer Files => throw new InvalidOperationException("not used");

        public IDeviceConsole? Console => null;

        public IPower? Power => null;

        public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new CommandResult
            {
                ExitCode = 1,
                Stdout = string.Empty,
                Stderr = "mktemp: read-only file system",
                Duration = TimeSpan.Zero,
            });

        public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not used");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
