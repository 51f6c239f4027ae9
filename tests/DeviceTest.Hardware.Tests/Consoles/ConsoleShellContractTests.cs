using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Consoles.Shell;
using DeviceTest.Lab.Serial;

namespace DeviceTest.Hardware.Tests.Consoles;

/// <summary>The console shell's behaviour, run against the real pty board over each transport (see the subclasses).</summary>
public abstract class ConsoleShellContractTests
{
    protected static readonly TimeSpan Ready = TimeSpan.FromSeconds(20);

    public TestContext TestContext { get; set; } = null!;

    /// <summary>Starts a board (its shell with or without job control) and returns it, with the serial section that reaches it and something to dispose.</summary>
    protected abstract Task<Lab> StartAsync(string? user, string? password, int baud, bool jobControl);

    protected async Task<(Lab Lab, ConsoleShellDevice Device)> StartDeviceAsync(
        string? user = null, string? password = null, string prompt = PtyShellBoard.PromptPattern, int baud = 115200,
        int maxBufferedChars = 1024 * 1024, bool jobControl = true)
    {
        var lab = await StartAsync(user, password, baud, jobControl);
        var shell = new ShellConfig
        {
            Prompt = prompt,
            Login = user is null ? null : new LoginConfig { User = user, Password = new Secret(password ?? string.Empty) },
            BootTimeout = TimeSpan.FromSeconds(20),
        };
        var console = new SerialConsole("board-serial", () => Hardware.Serial.ConsoleTransports.Create(lab.Serial)) { MaxBufferedChars = maxBufferedChars };
        var device = new ConsoleShellDevice("board-serial", ["serial"], [$"serial {lab.Serial.Port}"], console, shell, power: null);
        return (lab, device);
    }

    protected static Task<CommandResult> RunAsync(IDevice device, string command, TimeSpan? timeout = null) =>
        device.RunAsync(new CommandRequest(CommandLine.FromShell(command)) { Timeout = timeout ?? TimeSpan.FromSeconds(60) }, CancellationToken.None);

    [TestMethod]
    public async Task Commands_give_exact_output_and_exit_codes()
    {
        var (lab, device) = await StartDeviceAsync();
        await using var _ = lab;
        await using var __ = device;
        await device.EnsureReadyAsync(Ready, CancellationToken.None);

        var hello = await RunAsync(device, "echo hello");
        Assert.AreEqual("hello\n", hello.Stdout);
        Assert.AreEqual(0, hello.ExitCode);
        Assert.AreEqual(string.Empty, hello.Stderr);

        var failing = await RunAsync(device, "printf 'a\\nb'; echo oops >&2; exit 3");
        Assert.AreEqual(3, failing.ExitCode);
        Assert.AreEqual("a\nboops\n", failing.Stdout, "stderr is merged into stdout on a console");

        var argv = await device.RunAsync(CommandRequest.Arguments("printf", "%s|", "it's", "two words", "$HOME"), CancellationToken.None);
        Assert.AreEqual("it's|two words|$HOME|", argv.Stdout);

        var env = await device.RunAsync(new CommandRequest(CommandLine.FromShell("pwd; echo \"$GREETING\""))
        {
            WorkingDirectory = "/tmp",
            Environment = new Dictionary<string, string> { ["GREETING"] = "hi 'there'" },
        }, CancellationToken.None);
        Assert.AreEqual("/tmp\nhi 'there'\n", env.Stdout);

        var multiline = await RunAsync(device, "for i in 1 2 3; do\n  echo line $i # comment\ndone");
        Assert.AreEqual("line 1\nline 2\nline 3\n", multiline.Stdout);

        var syntax = await RunAsync(device, "echo (");
        Assert.AreNotEqual(0, syntax.ExitCode);

        var after = await RunAsync(device, "echo still fine");
        Assert.AreEqual("still fine\n", after.Stdout);
    }

    [TestMethod]
    [DataRow(true, DisplayName = "with job control")]
    [DataRow(false, DisplayName = "without job control")]
    public async Task A_timeout_ends_the_commands_whole_process_group_within_seconds_and_the_shell_comes_back(bool jobControl)
    {
        var (lab, device) = await StartDeviceAsync(jobControl: jobControl);
        await using var _ = lab;
        await using var __ = device;
        await device.EnsureReadyAsync(Ready, CancellationToken.None);
        await ConsoleStopChecks.TimeoutEndsTheGroupAsync(device, TestContext);
    }

    [TestMethod]
    [DataRow(true, DisplayName = "with job control")]
    [DataRow(false, DisplayName = "without job control")]
    public async Task A_cancel_ends_the_commands_whole_process_group_within_seconds_and_the_shell_comes_back(bool jobControl)
    {
        var (lab, device) = await StartDeviceAsync(jobControl: jobControl);
        await using var _ = lab;
        await using var __ = device;
        await device.EnsureReadyAsync(Ready, CancellationToken.None);
        await ConsoleStopChecks.CancelEndsTheGroupAsync(device, TestContext);
    }

    [TestMethod]
    [DataRow(true, DisplayName = "with job control")]
    [DataRow(false, DisplayName = "without job control")]
    public async Task Tabs_control_bytes_UTF8_and_long_commands_arrive_byte_for_byte(bool jobControl)
    {
        var (lab, device) = await StartDeviceAsync(jobControl: jobControl);
        await using var _ = lab;
        await using var __ = device;
        await device.EnsureReadyAsync(Ready, CancellationToken.None);
        await ConsoleStopChecks.BytesArriveAsIsAsync(device);
    }

    [TestMethod]
    public async Task A_line_reaches_the_observer_before_the_command_ends()
    {
        var (lab, device) = await StartDeviceAsync();
        await using var _ = lab;
        await using var __ = device;
        await device.EnsureReadyAsync(Ready, CancellationToken.None);

        await ConsoleLiveOutputChecks.LineArrivesBeforeTheCommandEndsAsync(device, lab.Board.Directory, inWorkDirectory: false);
        await ConsoleLiveOutputChecks.LineArrivesBeforeTheCommandEndsAsync(device, lab.Board.Directory, inWorkDirectory: true);
        await ConsoleLiveOutputChecks.TimedOutOutputArrivesBeforeTheTimeoutAsync(device);
    }

    [TestMethod]
    public async Task Output_in_many_small_writes_reaches_the_observer_whole_and_in_order()
    {
        var (lab, device) = await StartDeviceAsync();
        await using var _ = lab;
        await using var __ = device;
        await device.EnsureReadyAsync(Ready, CancellationToken.None);
        await ConsoleLiveOutputChecks.SmallWritesArriveWholeAndInOrderAsync(device);
    }

    [TestMethod]
    public async Task Noise_printed_while_a_command_runs_does_not_break_framing()
    {
        var (lab, device) = await StartDeviceAsync();
        await using var _ = lab;
        await using var __ = device;

        // A process left running by a command prints on the console, as the kernel would.
        await RunAsync(device, "(sleep 0.3; echo KERNEL NOISE) &");
        var second = await RunAsync(device, "sleep 1; echo second");
        Assert.AreEqual(0, second.ExitCode);
        StringAssert.Contains(second.Stdout, "KERNEL NOISE");
        StringAssert.EndsWith(second.Stdout, "second\n");

        await RunAsync(device, "(sleep 0.5; echo LATE NOISE) &");
        await ConsoleStopChecks.WaitForConsoleAsync(device, "LATE NOISE");
        var third = await RunAsync(device, "echo third");
        Assert.AreEqual("third\n", third.Stdout, "noise printed between commands is not output of the next one");
    }

    [TestMethod]
    public async Task Binary_garbage_and_large_output_keep_memory_bounded_and_the_shell_usable()
    {
        var (lab, device) = await StartDeviceAsync(maxBufferedChars: 256 * 1024);
        await using var _ = lab;
        await using var __ = device;

        var garbage = await RunAsync(device, "head -c 100000 /dev/urandom", TimeSpan.FromSeconds(60));
        Assert.IsFalse(garbage.TimedOut);
        Assert.AreEqual("alive\n", (await RunAsync(device, "echo alive")).Stdout);

        var large = await RunAsync(device, "seq 1 200000", TimeSpan.FromSeconds(120));
        Assert.AreEqual(0, large.ExitCode);
        Assert.IsTrue(large.OutputTruncated, "1.3 MB of output does not fit the 256 Ki match buffer");
        Assert.IsLessThanOrEqualTo(256 * 1024, large.Stdout.Length);
        StringAssert.EndsWith(large.Stdout, "199999\n200000\n");
        Assert.AreEqual("after\n", (await RunAsync(device, "echo after")).Stdout);
    }

    [TestMethod]
    public async Task Login_works_and_the_password_never_reaches_the_log()
    {
        const string password = "s3cret-Pass";
        var (lab, device) = await StartDeviceAsync(user: "root", password: password);
        await using var _ = lab;
        await using var __ = device;

        await device.EnsureReadyAsync(Ready, CancellationToken.None);
        Assert.AreEqual("root-shell\n", (await RunAsync(device, "echo root-shell")).Stdout);

        var log = string.Join("\n", device.Console!.Log.Lines.Select(l => l.Text));
        StringAssert.Contains(log, "board login:");
        Assert.DoesNotContain(password, log);
    }

    [TestMethod]
    public async Task A_wrong_password_is_a_clear_login_error()
    {
        var (lab, device) = await StartDeviceAsync(user: "root", password: "right");
        await using var _ = lab;
        await using var __ = device;
        var shell = new ConsoleShell("board-serial", device.Console!, new ShellConfig
        {
            Prompt = PtyShellBoard.PromptPattern,
            Login = new LoginConfig { User = "root", Password = new Secret("wrong") },
        });

        var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(
            () => shell.EnsureReadyAsync(Ready, CancellationToken.None));
        StringAssert.Contains(error.Message, "login failed for user root on board-serial");
        StringAssert.Contains(error.Message, "shell.login");
        Assert.DoesNotContain("wrong", error.Message);
    }

    [TestMethod]
    public async Task A_prompt_that_never_comes_is_a_clear_error_within_the_timeout()
    {
        var (lab, device) = await StartDeviceAsync(prompt: "no-such-prompt> $");
        await using var _ = lab;
        await using var __ = device;

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(
            () => device.EnsureReadyAsync(TimeSpan.FromSeconds(3), CancellationToken.None));
        Assert.IsLessThan(20, clock.Elapsed.TotalSeconds);
        StringAssert.Contains(error.Message, "board-serial");
        StringAssert.Contains(error.Message, "shell.prompt");
        StringAssert.Contains(error.Message, "board# ");
    }

    [TestMethod]
    public async Task The_console_going_away_mid_command_is_device_lost()
    {
        var (lab, device) = await StartDeviceAsync();
        await using var _ = lab;
        await using var __ = device;
        await device.EnsureReadyAsync(Ready, CancellationToken.None);

        var running = RunAsync(device, "echo running; sleep 1000", TimeSpan.FromSeconds(120));
        await ConsoleStopChecks.WaitForConsoleAsync(device, "running");
        Assert.IsFalse(running.IsCompleted);
        await lab.Board.KillAsync();

        var error = await Assert.ThrowsExactlyAsync<DeviceLostException>(() => running);
        StringAssert.StartsWith(error.Message, "device lost:");
        StringAssert.Contains(error.Message, "board-serial");
    }

    [TestMethod]
    public async Task Files_go_both_ways_with_checksum_and_mode()
    {
        var (lab, device) = await StartDeviceAsync();
        await using var _ = lab;
        await using var __ = device;
        var local = Path.Combine(Path.GetTempPath(), "devicetest-files-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(local);
        try
        {
            var content = RandomNumberGenerator.GetBytes(250_000);
            content[0] = 0xff;
            content[1] = 0x03;
            var source = Path.Combine(local, "payload.bin");
            await File.WriteAllBytesAsync(source, content);
            var remote = Path.Combine(lab.Board.Directory, "deploy", "bin", "payload.bin");

            await device.Files.PutAsync(source, remote, Convert.ToInt32("755", 8), CancellationToken.None);

            CollectionAssert.AreEqual(content, await File.ReadAllBytesAsync(remote));
            Assert.AreEqual("755\n", (await RunAsync(device, $"stat -c %a {remote}")).Stdout);
            Assert.AreEqual(string.Empty, (await RunAsync(device, $"ls {Path.GetDirectoryName(remote)} | grep devicetest || true")).Stdout);

            var empty = Path.Combine(local, "empty");
            await File.WriteAllBytesAsync(empty, []);
            await device.Files.PutAsync(empty, remote + ".empty", null, CancellationToken.None);
            Assert.AreEqual(0, new FileInfo(remote + ".empty").Length);

            var back = Path.Combine(local, "back.bin");
            await device.Files.GetAsync(remote, back, CancellationToken.None);
            CollectionAssert.AreEqual(content, await File.ReadAllBytesAsync(back));

            await Assert.ThrowsExactlyAsync<FileNotFoundException>(
                () => device.Files.GetAsync("/no/such/file", back, CancellationToken.None));

            var tree = Path.Combine(local, "tree");
            await device.Files.GetDirectoryAsync(Path.Combine(lab.Board.Directory, "deploy"), tree, CancellationToken.None);
            CollectionAssert.AreEqual(content, await File.ReadAllBytesAsync(Path.Combine(tree, "bin", "payload.bin")));
            await device.Files.GetDirectoryAsync("/no/such/dir", Path.Combine(local, "none"), CancellationToken.None);
            Assert.IsFalse(Directory.Exists(Path.Combine(local, "none")));
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [TestMethod]
    public async Task A_test_and_its_work_directory_take_one_command_line()
    {
        var (lab, device) = await StartDeviceAsync();
        await using var _ = lab;
        await using var __ = device;
        var local = Directory.CreateTempSubdirectory("devicetest-console-wd-").FullName;
        try
        {
            await WorkDirectoryContract.NothingLeftBehindAsync(device, TestContext.CancellationToken);
            await WorkDirectoryContract.FilesComeBackAsync(device, Path.Combine(local, "files"), TestContext.CancellationToken);
            await WorkDirectoryContract.TimeoutKeepsWhatWasWrittenAsync(device, Path.Combine(local, "timeout"), TestContext.CancellationToken);
            await WorkDirectoryContract.CancelRemovesTheDirectoryAsync(device, TestContext.CancellationToken);
            await WorkDirectoryContract.PremadeDirectoriesAreUsedOnlyWhileTheyAreTheDevicesAsync(device, TestContext.CancellationToken);
            await WorkDirectoryContract.TimeoutInAPremadeDirectoryKeepsWhatWasWrittenAsync(device, Path.Combine(local, "premade-timeout"), TestContext.CancellationToken);
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [TestMethod]
    public async Task Reboot_waits_for_the_board_to_go_down_and_come_back()
    {
        var (lab, device) = await StartDeviceAsync(user: "root", password: "pw");
        await using var _ = lab;
        await using var __ = device;
        await device.EnsureReadyAsync(Ready, CancellationToken.None);
        await RunAsync(device, "echo before > marker");

        var outcome = await device.RebootAsync(
            CommandLine.FromShell($"printf 'reboot: %s\\n' 'Restarting system'; exec /bin/sh {lab.Board.StartScript}"),
            TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.IsTrue(outcome.Rebooted, outcome.Details);
        StringAssert.Contains(outcome.Details, "went down");
        Assert.AreEqual("before\n", (await RunAsync(device, "cat marker")).Stdout);

        var noReboot = await device.RebootAsync(CommandLine.FromShell("true"), TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.IsFalse(noReboot.Rebooted);
        Assert.AreEqual("fine\n", (await RunAsync(device, "echo fine")).Stdout);
    }

    /// <summary>A started board and the serial section that reaches it.</summary>
    protected sealed class Lab(PtyShellBoard board, SerialConfig serial, IAsyncDisposable owner) : IAsyncDisposable
    {
        public PtyShellBoard Board { get; } = board;

        public SerialConfig Serial { get; } = serial;

        public ValueTask DisposeAsync() => owner.DisposeAsync();
    }
}
