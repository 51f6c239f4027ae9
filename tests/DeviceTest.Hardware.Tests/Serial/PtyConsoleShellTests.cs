using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Tests.Console;
using DeviceTest.Lab.Serial;

namespace DeviceTest.Hardware.Tests.Serial;

/// <summary>The console shell on a local tty (termios), against a pty with a shell behind it.</summary>
[TestClass]
public sealed class PtyConsoleShellTests : ConsoleShellContractTests
{
    protected override async Task<Lab> StartAsync(string? user, string? password, int baud)
    {
        var board = await PtyShellBoard.StartAsync(user, password);
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
}
