using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles.Shell;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab;
using DeviceTest.Lab.Serial;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>
/// Work directories made 32 at a time (<see cref="OneRoundTripTestRunner.MakeBatch"/>), on the lab's sshd and on a
/// console shell on a pty: the round trips counted on a recording device, and the processes counted on the device
/// itself: its shell finds <c>mkdir</c> and <c>rm</c> first in a folder of this test whose scripts log each call,
/// and its TMPDIR is a folder of this test, so that what is left there after the run is this run's.
/// </summary>
[TestClass]
public sealed class BatchedWorkDirectoryTests
{
    private const int Count = 70;

    private string _lab = null!;

    public TestContext TestContext { get; set; } = null!;

    private string Temp => Path.Combine(_lab, "tmp");

    private string Log => Path.Combine(_lab, "calls.log");

    [TestInitialize]
    public void CreateLab()
    {
        _lab = Directory.CreateTempSubdirectory("devicetest-batched-").FullName;
        Directory.CreateDirectory(Temp);
        var bin = Directory.CreateDirectory(Path.Combine(_lab, "bin")).FullName;
        foreach (var program in new[] { "mkdir", "rm" })
        {
            var real = new[] { "/usr/bin/", "/bin/" }.Select(folder => folder + program).First(File.Exists);
            var script = Path.Combine(bin, program);
            File.WriteAllText(script, $"#!/bin/sh\necho \"{program} $*\" >> '{Log}'\nexec {real} \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    [TestCleanup]
    public void DeleteLab() => Directory.Delete(_lab, recursive: true);

    [TestMethod]
    public async Task On_the_ssh_board_70_trivial_tests_start_3_mkdir_and_3_rm_and_leave_no_directory()
    {
        var (device, owner) = await SshAsync();
        await using var _ = owner;
        await using var __ = device;
        await AssertBatchedAsync(device);
    }

    [TestMethod]
    public async Task On_a_console_shell_70_trivial_tests_start_3_mkdir_and_3_rm_and_leave_no_directory()
    {
        var (device, owner) = await ConsoleAsync();
        await using var _ = owner;
        await using var __ = device;
        await AssertBatchedAsync(device);
    }

    [TestMethod]
    public async Task A_repeated_step_makes_its_directories_32_at_a_time_across_iterations_and_none_beyond_its_last_test()
    {
        var (inner, owner) = await SshAsync();
        await using var _ = owner;
        await using var __ = inner;
        var device = new RoundTripCountingDevice(inner);
        var tests = Enumerable.Range(1, 25).Select(i => SpecBuilder.Argv($"t{i}", "/bin/true")).ToArray();
        var spec = SpecBuilder.Named("repeated").Tests(new RepeatPolicy(Total: 3, DelaySeconds: 0), tests).Build();

        var summary = await new SpecRunner(device, Options(), new RecordingObserver()).RunAsync(spec, TestContext.CancellationToken);

        Assert.AreEqual(75, summary.Passed);
        var making = device.Trips.Where(t => t.Contains(" making ", StringComparison.Ordinal)).Select(t => t[(t.LastIndexOf(' ') + 1)..]).ToArray();
        CollectionAssert.AreEqual(new[] { "31", "31", "10" }, making, "75 tests: 32, 32 and the last 11");
        Assert.AreEqual(3, File.ReadAllLines(Log).Count(c => c.StartsWith("mkdir ", StringComparison.Ordinal) && c.Contains(Temp, StringComparison.Ordinal)));
        Assert.IsEmpty(Directory.EnumerateFileSystemEntries(Temp));
    }

    [TestMethod]
    public async Task On_the_ssh_board_Ctrl_C_leaves_no_pre_made_directory()
    {
        var (device, owner) = await SshAsync();
        await using var _ = owner;
        await using var __ = device;
        await AssertCancelLeavesNothingAsync(device);
    }

    [TestMethod]
    public async Task On_a_console_shell_Ctrl_C_leaves_no_pre_made_directory()
    {
        var (device, owner) = await ConsoleAsync();
        await using var _ = owner;
        await using var __ = device;
        await AssertCancelLeavesNothingAsync(device);
    }

    private async Task AssertBatchedAsync(IDevice inner)
    {
        var device = new RoundTripCountingDevice(inner);
        var tests = Enumerable.Range(1, Count).Select(i => SpecBuilder.Argv($"t{i}", "/bin/true")).ToArray();
        var observer = new RecordingObserver();

        var summary = await new SpecRunner(device, Options(), observer).RunAsync(SpecBuilder.Named("batched").Tests(tests).Build(), TestContext.CancellationToken);

        var trips = string.Join("\n", device.Trips);
        Assert.AreEqual(Count, summary.Passed, string.Join("\n", observer.Results.Select(r => r.Name + ": " + r.Message + r.Details)));
        Assert.AreEqual(Count + 1, device.Trips.Count, "one round trip per test and the removal at the end:\n" + trips);
        var batches = (Count + OneRoundTripTestRunner.MakeBatch - 1) / OneRoundTripTestRunner.MakeBatch;
        Assert.AreEqual(batches, device.Trips.Count(t => t.Contains(" making ", StringComparison.Ordinal)), trips);
        Assert.HasCount(Count - batches, device.MadeAhead, "no more directories made ahead than the step's tests use");
        Assert.AreEqual(Count - batches, device.Trips.Count(t => t.Contains(" premade", StringComparison.Ordinal)), trips);
        Assert.HasCount(Count, device.WorkDirectories.Distinct(), "every test had a directory of its own");
        CollectionAssert.AreEqual(device.Premade.OfType<string>().ToList(), device.WorkDirectories.Where((_, i) => device.Premade[i] is not null).ToList(), "each test ran in the directory made for it");

        // Only calls on work directories count: the device user's login scripts may call mkdir and rm too.
        var calls = File.ReadAllLines(Log).Where(c => c.Contains(Temp + "/devicetest.", StringComparison.Ordinal)).ToList();
        var shown = string.Join("\n", calls.Select(c => c[..Math.Min(c.Length, 120)]));
        Assert.AreEqual(batches, calls.Count(c => c.StartsWith("mkdir ", StringComparison.Ordinal)), $"ceil({Count}/{OneRoundTripTestRunner.MakeBatch}) mkdir processes:\n{shown}");
        Assert.AreEqual(3, calls.Count(c => c.StartsWith("rm ", StringComparison.Ordinal)), $"removals before tests 33 and 65 and at the end:\n{shown}");
        Assert.HasCount(6, calls, shown);
        Assert.IsEmpty(Directory.EnumerateFileSystemEntries(Temp), "the tests' directories and the pre-made ones nobody used are gone");
        Assert.IsEmpty(observer.Messages);
    }

    private async Task AssertCancelLeavesNothingAsync(IDevice inner)
    {
        var device = new RoundTripCountingDevice(inner);
        var note = Path.Combine(_lab, "hang-dir");
        var spec = SpecBuilder.Named("cancel")
            .Tests(
                SpecBuilder.Argv("one", "/bin/true"),
                SpecBuilder.Argv("two", "/bin/true"),
                SpecBuilder.Test("hang", $"dirname \"$TEST_DIR\" > '{note}.tmp'; mv '{note}.tmp' '{note}'; sleep 1000"),
                SpecBuilder.Argv("never", "/bin/true"))
            .Build();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var running = new SpecRunner(device, Options(), new RecordingObserver()).RunAsync(spec, cancel.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.Exists(note))
        {
            Assert.IsFalse(running.IsCompleted, "the run ended before the hanging test started");
            Assert.IsLessThan(deadline, DateTime.UtcNow, "the hanging test did not start within 60 s");
            await Task.Delay(50, TestContext.CancellationToken);
        }

        Assert.HasCount(3, device.MadeAhead, "the first test made one for each of the others");
        Assert.AreEqual(device.MadeAhead[1], File.ReadAllText(note).Trim(), "the hanging test runs in the second pre-made directory");
        await cancel.CancelAsync();

        var summary = await running;

        Assert.IsTrue(summary.Cancelled);
        Assert.IsEmpty(Directory.EnumerateFileSystemEntries(Temp), "no directory is left: not the tests', not the one made for 'never'");
    }

    private RunOptions Options() => new() { ResultsDirectory = Path.Combine(_lab, "results") };

    private Dictionary<string, string> Environment() => new()
    {
        ["TMPDIR"] = Temp,
        ["PATH"] = Path.Combine(_lab, "bin") + ":/usr/local/bin:/usr/bin:/bin",
    };

    private async Task<(IDevice Device, IAsyncDisposable Owner)> SshAsync()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid");
        var board = await SshBoard.StartAsync(Environment(), TestContext.CancellationToken);
        return (new SshDevice(board.CreateDeviceConfig("board-ssh")), board);
    }

    private async Task<(IDevice Device, IAsyncDisposable Owner)> ConsoleAsync()
    {
        var board = await PtyShellBoard.StartAsync(environment: Environment());
        var device = new ConsoleShellDevice(new DeviceConfig
        {
            Name = "board-serial",
            Serial = new SerialConfig { Port = board.TtyPath, Baud = 115200 },
            Shell = new ShellConfig { Prompt = PtyShellBoard.PromptPattern },
        });
        return (device, board);
    }
}
