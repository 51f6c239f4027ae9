using System.Diagnostics;
using System.Security.Cryptography;
using DeviceTest.Hardware.Qemu;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.Qemu;

/// <summary>The lab's QEMU board through <see cref="QemuMachine"/>: serial console, SSH forward, QMP, disk overlay.</summary>
[TestClass]
[DoNotParallelize]
public sealed class QemuBoardTests
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(60);

    private static CancellationTokenSource Deadline() => new(TimeSpan.FromMinutes(3));

    [TestMethod]
    public async Task Boots_to_the_prompt_and_runs_a_command_typed_on_the_serial_console()
    {
        using var cts = Deadline();
        var started = Stopwatch.StartNew();
        await using var board = await QemuBoard.StartAsync(cancellationToken: cts.Token);
        Console.WriteLine($"prompt after {started.Elapsed.TotalSeconds:0.0} s on unix:{board.Machine.SerialSocketPath} ({board.Machine.Accelerator})");
        StringAssert.Contains(board.Console.Text, QemuBoard.Banner);

        await board.Console.WriteLineAsync("echo result-$((6*7))", cts.Token);
        await board.Console.ExpectAsync("result-42", Boot, cts.Token);
        await board.Console.ExpectAsync(QemuBoard.Prompt, Boot, cts.Token);
    }

    [TestMethod]
    public async Task Dropbear_answers_ssh_on_the_forwarded_port()
    {
        using var cts = Deadline();
        await using var board = await QemuBoard.StartAsync(cancellationToken: cts.Token);
        var started = Stopwatch.StartNew();
        await board.WaitForSshAsync(Boot, cts.Token);
        Console.WriteLine($"ssh answered {started.Elapsed.TotalSeconds:0.0} s after the prompt");

        var (code, stdout, stderr) = await board.SshAsync("hostname; id -u", Boot, cts.Token);

        Assert.AreEqual(0, code, stderr);
        Assert.AreEqual("devicetest-qemu\n0\n", stdout);
    }

    [TestMethod]
    public async Task Qmp_system_reset_boots_the_guest_again()
    {
        using var cts = Deadline();
        await using var board = await QemuBoard.StartAsync(cancellationToken: cts.Token);
        using var events = board.Machine.Qmp.SubscribeEvents();

        await board.Machine.Qmp.SystemResetAsync(cts.Token);

        var reset = await events.WaitForAsync("RESET", cts.Token);
        Assert.AreEqual("RESET", reset.Name);
        await board.Console.ExpectAsync(QemuBoard.Banner, Boot, cts.Token);
        await board.Console.ExpectAsync(QemuBoard.Prompt, Boot, cts.Token);
        Assert.AreEqual(2, board.Console.Count(QemuBoard.Banner));
    }

    [TestMethod]
    public async Task Reboot_typed_on_the_console_reboots_the_board()
    {
        using var cts = Deadline();
        await using var board = await QemuBoard.StartAsync(cancellationToken: cts.Token);
        var pid = board.Machine.ProcessId;

        await board.Console.WriteLineAsync("reboot", cts.Token);

        await board.Console.ExpectAsync(QemuBoard.Banner, Boot, cts.Token);
        await board.Console.ExpectAsync(QemuBoard.Prompt, Boot, cts.Token);
        Assert.AreEqual(pid, board.Machine.ProcessId, "QEMU itself keeps running across a guest reboot");
    }

    [TestMethod]
    public async Task Login_mode_asks_for_a_user_and_password()
    {
        using var cts = Deadline();
        await using var board = await QemuBoard.StartAsync(
            append: QemuBoard.DefaultAppend + " devicetest.login=1", waitFor: QemuBoard.LoginPrompt, cancellationToken: cts.Token);

        await board.Console.WriteLineAsync("tester", cts.Token);
        await board.Console.ExpectAsync("Password: ", Boot, cts.Token);
        await board.Console.WriteLineAsync("tester", cts.Token);
        await board.Console.ExpectAsync("$ ", Boot, cts.Token);
        await board.Console.WriteLineAsync("echo user=$(id -un)", cts.Token);
        await board.Console.ExpectAsync("user=tester", Boot, cts.Token);
    }

    [TestMethod]
    public async Task Qmp_quit_stops_qemu_and_query_status_reports_before()
    {
        using var cts = Deadline();
        await using var board = await QemuBoard.StartAsync(waitFor: null, cancellationToken: cts.Token);
        var status = await board.Machine.Qmp.QueryStatusAsync(cts.Token);
        Assert.IsTrue(status.Running, status.Status);
        var pid = board.Machine.ProcessId!.Value;

        await board.Machine.Qmp.QuitAsync(cts.Token);
        await board.Machine.WaitForExitAsync(cts.Token);

        Assert.IsFalse(board.Machine.IsRunning);
        Assert.IsFalse(ProcessRuns(pid), $"qemu {pid} still runs");
    }

    [TestMethod]
    public async Task Dispose_leaves_no_qemu_process_and_no_temp_files()
    {
        using var cts = Deadline();
        var board = await QemuBoard.StartAsync(waitFor: null, cancellationToken: cts.Token);
        var pid = board.Machine.ProcessId!.Value;
        var serialLog = board.Machine.SerialLogPath!;
        Assert.IsTrue(File.Exists(serialLog));

        await board.DisposeAsync();

        Assert.IsFalse(ProcessRuns(pid), $"qemu {pid} still runs after dispose");
        Assert.IsFalse(Directory.Exists(Path.GetDirectoryName(serialLog)), "the machine's temp dir is removed");
    }

    [TestMethod]
    public async Task The_disk_overlay_takes_the_writes_and_leaves_the_original_unchanged()
    {
        using var cts = Deadline();
        var dir = Directory.CreateTempSubdirectory("devicetest-disk-");
        try
        {
            var disk = Path.Combine(dir.FullName, "disk.raw");
            await RunAsync("qemu-img", ["create", "-q", "-f", "raw", disk, "4M"], cts.Token);
            var before = await HashAsync(disk, cts.Token);

            await using (var board = await QemuBoard.StartAsync(disk: disk, cancellationToken: cts.Token))
            {
                Assert.IsTrue(File.Exists(board.Machine.OverlayPath), "an overlay is used");
                await board.Console.WriteLineAsync(
                    "echo devicetest-was-here | dd of=/dev/vda conv=fsync 2>/dev/null && head -c 20 /dev/vda; echo; echo disk-$?", cts.Token);
                var output = await board.Console.ExpectAsync("disk-0", Boot, cts.Token);
                StringAssert.Contains(output, "devicetest-was-here", "the guest writes and reads back its disk");
            }

            Assert.AreEqual(before, await HashAsync(disk, cts.Token), "the original disk image is unchanged");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    internal static bool ProcessRuns(int pid)
    {
        // a zombie still has /proc/<pid>; "State: Z" means it is dead
        var status = $"/proc/{pid}/status";
        return File.Exists(status) && !File.ReadAllText(status).Contains("State:\tZ", StringComparison.Ordinal);
    }

    internal static async Task RunAsync(string program, string[] args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        _ = await p.StandardOutput.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken);
        Assert.AreEqual(0, p.ExitCode, $"{program} {string.Join(' ', args)}: {await stderr}");
    }

    private static async Task<string> HashAsync(string file, CancellationToken cancellationToken)
    {
        await using var s = File.OpenRead(file);
        return Convert.ToHexString(await SHA256.HashDataAsync(s, cancellationToken));
    }
}
