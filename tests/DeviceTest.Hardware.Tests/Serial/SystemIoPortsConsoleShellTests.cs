using System.IO.Ports;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Consoles.Shell;
using DeviceTest.Hardware.Serial;
using DeviceTest.Hardware.Tests.Consoles;
using DeviceTest.Lab.Serial;

namespace DeviceTest.Hardware.Tests.Serial;

/// <summary>
/// The console shell on a local port opened with System.IO.Ports (<c>driver: system-io-ports</c>), against the lab's
/// socat pty with a shell behind it: the whole console contract, and what a pty does not allow.
/// </summary>
[TestClass]
public sealed class SystemIoPortsConsoleShellTests : ConsoleShellContractTests
{
    protected override async Task<Lab> StartAsync(string? user, string? password, int baud, bool jobControl)
    {
        var board = await PtyShellBoard.StartAsync(user, password, jobControl);
        return new Lab(board, new SerialConfig { Port = board.TtyPath, Baud = baud, Driver = SerialDriver.SystemIoPorts }, board);
    }

    [TestMethod]
    public async Task A_devices_yml_entry_with_driver_system_io_ports_runs_commands_through_SerialPort()
    {
        await using var board = await PtyShellBoard.StartAsync();
        var loaded = DeviceFileLoader.LoadText(
            $"devices:\n  board-serial:\n    serial: {{ port: '{board.TtyPath}', baud: 57600, driver: system-io-ports }}\n    shell: {{ prompt: '{PtyShellBoard.PromptPattern}' }}\n",
            "devices.yml");
        Assert.IsEmpty(loaded.Diagnostics, string.Join('\n', loaded.Diagnostics));
        var config = loaded.Find("board-serial")!;
        Assert.AreEqual(SerialDriver.SystemIoPorts, config.Serial!.EffectiveDriver);
        await using var transport = ConsoleTransports.Create(config.Serial);
        Assert.IsInstanceOfType<SystemIoPortsTransport>(transport);
        StringAssert.Contains(transport.Description, "System.IO.Ports");

        await using var device = new ConsoleShellDevice(config);
        var result = await device.RunAsync(CommandRequest.Shell($"stty -F {board.TtyPath} speed; uname -s"), CancellationToken.None);

        Assert.AreEqual("57600\nLinux\n", result.Stdout, "SerialPort set the baud rate on the pty");
    }

    [TestMethod]
    public void Termios_stays_the_default_on_linux()
    {
        var config = new SerialConfig { Port = "/dev/ttyUSB0" };
        Assert.AreEqual(OperatingSystem.IsLinux() ? SerialDriver.Termios : SerialDriver.SystemIoPorts, config.EffectiveDriver);
    }

    [TestMethod]
    [DataRow("/dev/ttyUSB0", "serial", "fast", "`fast` is not known; use termios (Linux) or system-io-ports")]
    [DataRow("tcp://127.0.0.1:3001", "ser2net", "system-io-ports", "network port, which System.IO.Ports cannot open")]
    [DataRow("rfc2217://127.0.0.1:3002", "ser2net", "termios", "network port")]
    public void A_driver_that_cannot_apply_is_a_config_error_at_its_line(string port, string name, string driver, string message)
    {
        var loaded = DeviceFileLoader.LoadText($"devices:\n  {name}:\n    serial: {{ port: '{port}', driver: {driver} }}\n", "devices.yml");

        var error = loaded.Diagnostics.Single(d => d.Code == DeviceFileErrorCodes.BadSerialPort);
        Assert.AreEqual(3, error.Position.Line);
        StringAssert.Contains(error.Message, message);
    }

    [TestMethod]
    public async Task A_missing_port_is_unreachable_with_its_path_and_the_driver()
    {
        await using var console = new SerialConsole("board-serial", new SerialConfig { Port = "/dev/does-not-exist", Driver = SerialDriver.SystemIoPorts });
        var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(() => console.OpenAsync(CancellationToken.None));
        StringAssert.Contains(error.Message, "/dev/does-not-exist");
        StringAssert.Contains(error.Message, "System.IO.Ports");
    }

    /// <summary>
    /// What System.IO.Ports cannot do on a pty (docs/devices.md lists it): DTR/RTS and the modem status lines are
    /// ioctls a pty refuses, so opening with DTR or RTS enabled fails and the transport leaves them alone; break works.
    /// </summary>
    [TestMethod]
    public async Task On_a_pty_dtr_rts_and_modem_lines_are_refused_but_break_works()
    {
        await using var board = await PtyShellBoard.StartAsync();

        using (var withDtr = new SerialPort(board.TtyPath, 115200) { DtrEnable = true })
        {
            var e = Assert.ThrowsExactly<IOException>(withDtr.Open);
            StringAssert.Contains(e.Message, "Inappropriate ioctl");
        }

        using (var withRts = new SerialPort(board.TtyPath, 115200) { RtsEnable = true })
        {
            Assert.ThrowsExactly<IOException>(withRts.Open);
        }

        using var port = new SerialPort(board.TtyPath, 115200);
        port.Open();
        Assert.ThrowsExactly<IOException>(() => port.DtrEnable = true);
        Assert.ThrowsExactly<IOException>(() => _ = port.CDHolding);
        port.BreakState = true;
        port.BreakState = false;
        Assert.IsTrue(port.IsOpen);
    }
}
