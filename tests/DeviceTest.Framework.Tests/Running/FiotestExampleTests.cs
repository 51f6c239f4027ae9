using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>
/// fiotest's documented examples (tests/data/fiotest/), built by hand as the loader would load them,
/// run on the device double with fiotest's meaning.
/// </summary>
[TestClass]
public sealed class FiotestExampleTests
{
    private const string Ltp = "/usr/share/fio-tests/ltp.sh";

    public TestContext TestContext { get; set; } = null!;

    private static SpecTest LtpTest() => SpecBuilder.Argv("ltp", Ltp);

    [TestMethod]
    public async Task Single_runs_ltp_once()
    {
        var spec = SpecBuilder.Named("single", "single.yml").Tests(LtpTest()).Build();
        await using var device = new RecordingDevice();
        var observer = new RecordingObserver();

        var outcome = await new SpecRunner(device, new RunOptions(), observer).RunAsync(spec, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "run " + Ltp }, device.Events);
        Assert.AreEqual(1, outcome.Passed);
        Assert.AreEqual("ltp", observer.Results[0].DisplayName);
        Assert.AreEqual(CommandLine.FromArguments(Ltp), device.TestRequests[0].Command, "an argv list stays an argv list");
    }

    [TestMethod]
    public async Task Repeat_4_runs_ltp_four_times_five_seconds_apart()
    {
        var spec = SpecBuilder.Named("repeat-4", "repeat-4.yml").Tests(new RepeatPolicy(Total: 4, DelaySeconds: 5), LtpTest()).Build();
        await using var device = new RecordingDevice();
        var observer = new RecordingObserver();
        var clock = new ManualTimeProvider();

        var outcome = await new SpecRunner(device, new RunOptions { TimeProvider = clock }, observer).RunAsync(spec, TestContext.CancellationToken);

        Assert.AreEqual(4, device.TestCommandCount);
        Assert.AreEqual(4, outcome.Passed);
        CollectionAssert.AreEqual(Enumerable.Repeat(TimeSpan.FromSeconds(5), 3).ToArray(), clock.Delays.ToArray());
        CollectionAssert.AreEqual(new[] { "ltp #1", "ltp #2", "ltp #3", "ltp #4" }, observer.Results.Select(r => r.DisplayName).ToArray());
    }

    [TestMethod]
    public async Task Soak_runs_ltp_forever_ten_minutes_apart()
    {
        // repeat: { delay_seconds: 600 } — total defaults to -1: forever.
        var spec = SpecBuilder.Named("soak", "soak.yml").Tests(new RepeatPolicy(DelaySeconds: 600), LtpTest()).Build();
        await using var device = new RecordingDevice();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var observer = new RecordingObserver();
        observer.OnResult = _ =>
        {
            if (observer.FinishedCount == 25)
            {
                cancel.Cancel();
            }
        };
        var clock = new ManualTimeProvider();

        var outcome = await new SpecRunner(device, new RunOptions { TimeProvider = clock }, observer).RunAsync(spec, cancel.Token);

        Assert.IsTrue(outcome.Cancelled);
        Assert.AreEqual(25, outcome.Passed);
        Assert.AreEqual(25, device.TestCommandCount);
        Assert.HasCount(24, clock.Delays);
        Assert.IsTrue(clock.Delays.All(d => d == TimeSpan.FromMinutes(10)));
    }

    [TestMethod]
    public async Task Reboot_runs_ltp_reboots_and_runs_ltp_again()
    {
        var spec = SpecBuilder.Named("reboot", "reboot.yml").Tests(LtpTest()).Reboot("/sbin/reboot").Tests(LtpTest()).Build();
        await using var device = new RecordingDevice();
        var observer = new RecordingObserver();

        var outcome = await new SpecRunner(device, new RunOptions(), observer).RunAsync(spec, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "run " + Ltp, "reboot /sbin/reboot", "run " + Ltp }, device.Events);
        Assert.AreEqual(2, outcome.Passed);
        CollectionAssert.AreEqual(new[] { "ltp (step 1)", "ltp (step 3)" }, observer.Results.Select(r => r.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "reboot/0/ltp (step 1)", "reboot/2/ltp (step 3)" }, observer.Results.Select(r => r.TestId).ToArray());
    }
}
