using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Consoles.Shell;
using DeviceTest.Hardware.Tests.Consoles;
using DeviceTest.Lab.Serial;

namespace DeviceTest.Hardware.Tests.Serial;

/// <summary>The console shell on a local tty (termios), against a pty with a shell behind it.</summary>
[TestClass]
public sealed class PtyConsoleShellTests : ConsoleShellContractTests
{
    protected override async Task<Lab> StartAsync(string? user, string? password, int baud, bool jobControl)
    {
        var board = await PtyShellBoard.StartAsync(user, password, jobControl);
        return new Lab(board, new SerialConfig { Port = board.TtyPath, Baud = baud }, board);
    }

    [TestMethod]
    public async Task The_tty_gets_the_configured_baud_rate()
    {
        var (lab, device) = await StartDeviceAsync(baud: 57600);
        await using var _ = lab;
        await using var __ = device;
        await device.EnsureReadyAsync(Ready, CancellationToken.None);
        var speed = await RunAsync(device, $"stty -F {lab.Board.TtyPath} speed");
        Assert.AreEqual("57600\n", speed.Stdout);
    }

    [TestMethod]
    public async Task A_device_from_its_devices_yml_entry_runs_commands()
    {
        await using var board = await PtyShellBoard.StartAsync();
        await using var device = new ConsoleShellDevice(new DeviceConfig
        {
            Name = "board-serial",
            Tags = ["arm64"],
            Serial = new SerialConfig { Port = board.TtyPath, Baud = 115200 },
            Shell = new ShellConfig { Prompt = PtyShellBoard.PromptPattern },
        });

        Assert.AreEqual($"serial {board.TtyPath}", device.Transports.Single());
        Assert.IsNotNull(device.Console);
        Assert.IsNull(device.Power);
        var result = await device.RunAsync(CommandRequest.Shell("uname -s"), CancellationToken.None);
        Assert.AreEqual("Linux\n", result.Stdout);
    }

    [TestMethod]
    public async Task A_missing_tty_is_unreachable_with_its_path()
    {
        await using var console = new SerialConsole("board-serial", new SerialConfig { Port = "/dev/does-not-exist" });
        var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(() => console.OpenAsync(CancellationToken.None));
        StringAssert.Contains(error.Message, "/dev/does-not-exist");
    }
}
