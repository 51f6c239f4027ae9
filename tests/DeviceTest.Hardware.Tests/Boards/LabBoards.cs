using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Qemu;
using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.Boards;

/// <summary>
/// devices.yml entries for the lab's boards, as <see cref="DeviceConfig"/>s. Their forwarded SSH port is a
/// <see cref="LoopbackPort"/> the test holds (and disposes) for as long as the board may run.
/// </summary>
internal static class LabBoards
{
    public static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);

    /// <summary>The QEMU machine of a board made from a <c>qemu</c> entry.</summary>
    public static QemuMachine Machine(Board board) =>
        (QemuMachine)((QemuStrategy)(board ?? throw new ArgumentNullException(nameof(board))).Strategy.BoardPower!).Machine;

    /// <summary>The QEMU board with its console as the shell (the <c>qemu-x86</c> example of docs/devices.md).</summary>
    public static DeviceConfig QemuConsole(LoopbackPort sshPort, string name = "qemu-console", string? append = null, LoginConfig? login = null) => new()
    {
        Name = name,
        Qemu = QemuBoard.Config((sshPort ?? throw new ArgumentNullException(nameof(sshPort))).Number, append),
        Shell = new ShellConfig { Prompt = login is null ? "/ # $" : "[#$] $", Login = login, BootTimeout = Boot },
    };

    /// <summary>The QEMU board with commands over SSH to its dropbear (the <c>qemu-ssh</c> example).</summary>
    public static DeviceConfig QemuSsh(LoopbackPort sshPort, string name = "qemu-ssh") =>
        QemuBoard.SshDeviceConfig((sshPort ?? throw new ArgumentNullException(nameof(sshPort))).Number, Boot, name);
}
