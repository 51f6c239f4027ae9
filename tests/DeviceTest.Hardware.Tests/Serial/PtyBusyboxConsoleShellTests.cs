using System.Globalization;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Consoles.Shell;
using DeviceTest.Lab;
using DeviceTest.Lab.Serial;

namespace DeviceTest.Hardware.Tests.Serial;

/// <summary>
/// The console shell with busybox sh (ash) behind the pty, as on most boards: with the echo off, ash reads its input
/// with stdio, and a SIGCHLD that interrupts that read is taken for the end of input (at the prompt the shell exits; in
/// the middle of a typed command it is a syntax error). The only children the console shell leaves the board's shell are
/// the commands' wrappers, so these must be gone before the shell reads again.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PtyBusyboxConsoleShellTests
{
    [TestMethod]
    [DataRow(true, DisplayName = "with job control")]
    [DataRow(false, DisplayName = "without job control")]
    public async Task A_command_whose_shell_exits_late_does_not_end_the_boards_shell(bool jobControl)
    {
        LabRequirement.Programs("busybox", "strace");
        await using var board = await PtyShellBoard.StartAsync(jobControl: jobControl, shell: "busybox sh");
        var console = new SerialConsole("board-busybox", new SerialConfig { Port = board.TtyPath, Baud = 115200 });
        await using var device = new ConsoleShellDevice(
            "board-busybox", ["serial"], [$"serial {board.TtyPath}"], console, new ShellConfig { Prompt = PtyShellBoard.PromptPattern }, power: null);
        await device.EnsureReadyAsync(TimeSpan.FromSeconds(20), CancellationToken.None);

        // The command's shell ($$ in the command, the wrapper that prints the end marker) is made to take 2 s to exit
        // after the marker, as a loaded board may: strace delays its exit_group. The command waits until strace is on.
        var late = await device.RunAsync(
            new CommandRequest(CommandLine.FromShell(
                "strace -qq -o /dev/null -e trace=exit_group -e inject=exit_group:delay_enter=2s -p $$ </dev/null >/dev/null 2>&1 & " +
                "n=0; until grep -q 'TracerPid:[[:space:]]*[1-9]' /proc/$$/status; do n=$((n+1)); [ $n -lt 200 ] || exit 9; sleep 0.05; done; echo $$"))
            {
                Timeout = TimeSpan.FromSeconds(30),
            },
            CancellationToken.None);
        Assert.AreEqual(0, late.ExitCode, "strace attached to the command's shell: " + late.Stdout);
        var wrapper = int.Parse(late.Stdout.Trim(), CultureInfo.InvariantCulture);

        // Once it has exited (its SIGCHLD came while the board's shell sat at its prompt), the board's shell still runs commands.
        await WaitGoneAsync(wrapper);
        var after = await device.RunAsync(new CommandRequest(CommandLine.FromShell("echo still here")) { Timeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);
        Assert.AreEqual("still here\n", after.Stdout);
        Assert.IsTrue(board.IsRunning, "the board's shell is still there");
    }

    /// <summary>Waits (at most 20 s) until <paramref name="pid"/> has exited (gone, or a zombie nobody reaped yet).</summary>
    private static async Task WaitGoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (IsRunning(pid))
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"the command's shell (pid {pid}) did not exit");
            await Task.Delay(20);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
