using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware.Local;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>
/// How many round trips a test costs on a device that can run it in one (<see cref="OneRoundTripTestRunner"/>),
/// counted on the real local device: one for a test that leaves nothing in TEST_DIR/ARTIFACTS_DIR, two for one that
/// leaves files, and the empty work directories removed in batches, before a reboot step and at the end.
/// </summary>
[TestClass]
public sealed class OneRoundTripTests
{
    private string _results = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateResults() => _results = Directory.CreateTempSubdirectory("devicetest-one-trip-").FullName;

    [TestCleanup]
    public void DeleteResults() => Directory.Delete(_results, recursive: true);

    [TestMethod]
    public async Task A_test_that_leaves_nothing_in_TEST_DIR_or_ARTIFACTS_DIR_costs_one_round_trip()
    {
        var tests = Enumerable.Range(1, 40).Select(i => SpecBuilder.Argv($"t{i}", "/bin/true")).ToArray();
        var spec = SpecBuilder.Named("trivial").Tests(tests).Build();
        var device = new RoundTripCountingDevice(new LocalDevice());
        var observer = new RecordingObserver();

        var summary = await new SpecRunner(device, new RunOptions { ResultsDirectory = _results }, observer).RunAsync(spec, TestContext.CancellationToken);

        Assert.AreEqual(40, summary.Passed);
        Assert.AreEqual(40, device.Count("test"), string.Join("\n", device.Trips));
        Assert.AreEqual(0, device.Count("fetch"));
        Assert.AreEqual(41, device.Trips.Count, "40 tests and one removal of the last batch at the end:\n" + string.Join("\n", device.Trips));
        Assert.AreEqual(
            $"test /bin/true removing {OneRoundTripTestRunner.RemovalBatch} making 7",
            device.Trips[OneRoundTripTestRunner.RemovalBatch],
            "the local device makes no directories ahead (they cost it no process), so every test asks for those the step still needs");
        Assert.IsEmpty(device.MadeAhead);
        StringAssert.StartsWith(device.Trips[^1], "run rm -rf --");
        Assert.IsFalse(device.WorkDirectories.Any(Directory.Exists), "no work directory is left");
        Assert.IsEmpty(observer.Messages);
        Assert.IsTrue(observer.Results.All(r => r.Attachments.Count == 1 && r.SubResults.Count == 0), "console.log only");
    }

    [TestMethod]
    public async Task A_test_that_leaves_files_costs_a_second_round_trip_that_also_removes_its_directory()
    {
        var spec = SpecBuilder.Named("files")
            .Tests(SpecBuilder.Test("subs", "mkdir \"$TEST_DIR/1-first\" && echo 42 > \"$ARTIFACTS_DIR/answer.txt\" && echo done"))
            .Build();
        var device = new RoundTripCountingDevice(new LocalDevice());
        var observer = new RecordingObserver();

        await new SpecRunner(device, new RunOptions { ResultsDirectory = _results }, observer).RunAsync(spec, TestContext.CancellationToken);

        StringAssert.EndsWith(device.Trips[0], "removing 0", "the step's only test makes none ahead");
        Assert.AreEqual("fetch", device.Trips[1]);
        Assert.AreEqual(2, device.Trips.Count, string.Join("\n", device.Trips));
        var result = observer.Results.Single();
        Assert.AreEqual(TestOutcome.Passed, result.Outcome, result.Details);
        Assert.AreEqual("first", result.SubResults.Single().Name);
        Assert.AreEqual("answer.txt", Path.GetFileName(result.Attachments[1]));
        Assert.AreEqual("42\n", await File.ReadAllTextAsync(result.Attachments[1], TestContext.CancellationToken));
        Assert.AreEqual("done\n", await File.ReadAllTextAsync(result.Attachments[0], TestContext.CancellationToken));
        Assert.IsFalse(Directory.Exists(device.WorkDirectories.Single()));
    }

    [TestMethod]
    public async Task Work_directories_waiting_for_removal_are_removed_before_a_reboot_step()
    {
        var spec = SpecBuilder.Named("reboot")
            .Tests(SpecBuilder.Argv("before", "/bin/true"))
            .Reboot()
            .Tests(SpecBuilder.Argv("after", "/bin/true"))
            .Build();
        var device = new RoundTripCountingDevice(new LocalDevice());

        await new SpecRunner(device, new RunOptions { ResultsDirectory = _results }, new RecordingObserver()).RunAsync(spec, TestContext.CancellationToken);

        var kinds = device.Trips.Select(trip => trip.Split(' ')[0]).ToArray();
        CollectionAssert.AreEqual(new[] { "test", "run", "reboot", "test", "run" }, kinds, string.Join("\n", device.Trips));
        StringAssert.Contains(device.Trips[1], device.WorkDirectories[0]);
    }

    [TestMethod]
    public async Task After_Ctrl_C_no_work_directory_is_left_on_the_device()
    {
        var note = Path.Combine(_results, "hang-dir");
        var spec = SpecBuilder.Named("cancel")
            .Tests(
                SpecBuilder.Argv("one", "/bin/true"),
                SpecBuilder.Argv("two", "/bin/true"),
                SpecBuilder.Test("hang", $"dirname \"$TEST_DIR\" > '{note}'; sleep 1000"))
            .Build();
        var device = new RoundTripCountingDevice(new LocalDevice());
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var observer = new RecordingObserver();
        var runner = new SpecRunner(device, new RunOptions { ResultsDirectory = _results }, observer);
        var running = runner.RunAsync(spec, cancel.Token);
        await WaitForAsync(() => File.Exists(note) && File.ReadAllText(note).EndsWith('\n'));
        await cancel.CancelAsync();

        var summary = await running;

        Assert.IsTrue(summary.Cancelled);
        Assert.AreEqual(2, observer.Results.Count);
        Assert.HasCount(2, device.WorkDirectories);
        Assert.IsFalse(device.WorkDirectories.Any(Directory.Exists), "the finished tests' directories are removed at the end");
        Assert.IsFalse(Directory.Exists(File.ReadAllText(note).Trim()), "the cancelled test's directory is removed");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, "the test did not start within 30 s");
            await Task.Delay(50);
        }
    }
}
