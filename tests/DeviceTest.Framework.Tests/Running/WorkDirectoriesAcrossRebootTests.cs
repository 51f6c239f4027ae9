using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware;
using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>
/// Work directories made ahead (<see cref="OneRoundTripTestRunner.MakeBatch"/>) on the QEMU board over SSH, whose /tmp
/// is in RAM: the work directories are removed before a reboot step and the next step makes its own batch; a test that
/// reboots the board in the middle of a step takes the pre-made ones along, and the tests after it get new directories.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class WorkDirectoriesAcrossRebootTests
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_reboot_in_the_middle_of_a_run_does_not_break_the_next_test_and_leaves_no_directory()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(6));
        await QemuBoard.RequireAsync(deadline.Token);
        using var sshPort = LoopbackPort.Reserve();
        await using var board = DeviceFactory.Create(QemuBoard.SshDeviceConfig(sshPort.Number, Boot));
        await board.EnsureReadyAsync(Boot, deadline.Token);
        var device = new RoundTripCountingDevice(board);
        var spec = SpecBuilder.Named("reboots")
            .Tests(SpecBuilder.Argv("one", "/bin/true"), SpecBuilder.Argv("two", "/bin/true"))
            .Reboot("reboot", Boot)
            .Tests(
                SpecBuilder.Argv("three", "/bin/true"),
                SpecBuilder.Test("crash", "reboot; sleep 120", timeout: TimeSpan.FromMinutes(3)),
                SpecBuilder.Argv("four", "/bin/true"),
                SpecBuilder.Test("five", "test -d \"$TEST_DIR\" && test -d \"$ARTIFACTS_DIR\" && echo 5 > \"$ARTIFACTS_DIR/five.txt\""))
            .Build();
        var observer = new RecordingObserver();
        var results = Directory.CreateTempSubdirectory("devicetest-reboot-wd-").FullName;
        try
        {
            await new SpecRunner(device, new RunOptions { ResultsDirectory = results }, observer).RunAsync(spec, deadline.Token);
            await AssertAsync(board, device, spec, observer, deadline.Token);
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    private async Task AssertAsync(IDevice board, RoundTripCountingDevice device, TestSpec spec, RecordingObserver observer, CancellationToken cancellationToken)
    {
        var trips = string.Join("\n", device.Trips);
        TestContext.WriteLine(trips);
        var outcomes = observer.Results.ToDictionary(r => r.Name, r => r);
        foreach (var name in new[] { "one", "two", "three", "four", "five" })
        {
            Assert.AreEqual(TestOutcome.Passed, outcomes[name].Outcome, $"{name}: {outcomes[name].Message} {outcomes[name].Details}");
        }

        StringAssert.StartsWith(outcomes["crash"].Message, "device lost");
        var kinds = device.Trips.Select(t => t.StartsWith("run rm -rf", StringComparison.Ordinal) ? "remove" : t).ToArray();
        CollectionAssert.AreEqual(
            new[]
            {
                "test /bin/true removing 0 making 1", "test /bin/true removing 0 premade", "remove", "reboot",
                "test /bin/true removing 0 making 3", $"test {spec.AllTests.ElementAt(3).Command} removing 0 premade",
                "test /bin/true removing 0 premade", $"test {spec.AllTests.Last().Command} removing 0 premade", "fetch", "remove",
            },
            kinds,
            "the first tests' directories are removed before the reboot step, a new batch is made after it:\n" + trips);
        Assert.AreNotEqual(device.Premade[4], device.WorkDirectories[3], "test four's pre-made directory went with the reboot: it got a new one");
        Assert.AreNotEqual(device.Premade[5], device.WorkDirectories[4], "so did test five");
        Assert.AreEqual("5\n", File.ReadAllText(outcomes["five"].Attachments.Single(a => a.EndsWith("five.txt", StringComparison.Ordinal))));
        var left = await board.RunAsync(CommandRequest.Shell("ls -d /tmp/devicetest.* 2>/dev/null | wc -l"), cancellationToken);
        Assert.AreEqual("0\n", left.Stdout, "no work directory is left on the board");
    }
}
