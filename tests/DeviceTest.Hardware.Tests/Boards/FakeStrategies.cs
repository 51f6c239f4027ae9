using System.Text.RegularExpressions;
using DeviceTest.Fakes;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Consoles.Shell;

namespace DeviceTest.Hardware.Tests.Boards;

/// <summary>The strategies as <see cref="DeviceFactory"/> puts them together, over a <see cref="FakeBoard"/>'s fakes.</summary>
internal static class FakeStrategies
{
    /// <summary>The fake board's prompt, as a <c>shell.prompt</c>.</summary>
    public static readonly Regex Prompt = new("/ # $", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>The defaults: boot 2 min, answer 10 s, reconnect 30 s, reboot command 30 s.</summary>
    public static readonly BootTimeouts Timeouts = new();

    public static ConsoleShellStrategy ConsoleShell(FakeBoard board, bool power = true) =>
        new(board.Shell, board.Console, Prompt, power ? new PowerSwitch(board.Power) : null, Timeouts, board.Clock);

    public static SshStrategy Ssh(FakeBoard board, bool power = true) =>
        new(board.Connect, power ? new PowerSwitch(board.Power) : null, Timeouts, board.Clock);

    public static SshWithConsoleStrategy SshWithConsole(FakeBoard board, bool power = true) =>
        new(board.Connect, board.Console, power ? new PowerSwitch(board.Power) : null, Timeouts, board.Clock);

    /// <summary>A QEMU board with its console as the shell (<paramref name="board"/> must be virtual).</summary>
    public static ConsoleShellStrategy QemuConsole(FakeBoard board, IPower? powerSection = null) =>
        new(board.Shell, board.Console, Prompt, Qemu(board, powerSection), Timeouts, board.Clock);

    /// <summary>A QEMU board with commands over SSH (<paramref name="board"/> must be virtual).</summary>
    public static SshWithConsoleStrategy QemuSsh(FakeBoard board) =>
        new(board.Connect, board.Console, Qemu(board), Timeouts, board.Clock);

    public static QemuStrategy Qemu(FakeBoard board, IPower? powerSection = null) =>
        new(board.Machine, board.Console, powerSection, board.Clock);

    public static DeviceLostException Lost(string message = "device lost: no answer") => new(message);
}
