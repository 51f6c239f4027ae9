using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Consoles.Shell;
using DeviceTest.Hardware.Local;
using DeviceTest.Hardware.Power;
using DeviceTest.Hardware.Ssh;

namespace DeviceTest.Hardware.Tests.Boards;

/// <summary>Every combination of docs/devices.md becomes the right strategy and parts; nothing is contacted or started by creating it.</summary>
[TestClass]
public sealed class DeviceFactoryTests
{
    private static readonly SshConfig Ssh = new() { Host = "192.0.2.10", Port = 2222, User = "root" };

    [TestMethod]
    public async Task No_transport_is_the_local_device()
    {
        await using var device = DeviceFactory.Create(new DeviceConfig { Name = "local" });
        Assert.IsInstanceOfType<LocalDevice>(device);
    }

    [TestMethod]
    public async Task Ssh_only_runs_commands_over_ssh_without_console_or_power()
    {
        await using var device = Create(new DeviceConfig { Name = "b", Tags = ["arm64"], Ssh = Ssh });
        Assert.IsInstanceOfType<SshStrategy>(device.Strategy);
        Assert.IsInstanceOfType<SshDevice>(device.Commands);
        Assert.IsNull(device.Console);
        Assert.IsNull(device.Power);
        Assert.IsNull(device.Strategy.BoardPower);
        CollectionAssert.AreEqual(new[] { "arm64" }, device.Tags.ToArray());
        CollectionAssert.AreEqual(new[] { "ssh root@192.0.2.10:2222" }, device.Transports.ToArray());
    }

    [TestMethod]
    public async Task Serial_with_command_power_runs_commands_over_the_console_shell()
    {
        await using var device = Create(new DeviceConfig
        {
            Name = "b",
            Serial = new SerialConfig { Port = "tcp://127.0.0.1:3001" },
            Power = new PowerConfig { Command = new CommandPowerConfig { On = "relay on", Off = "relay off" } },
        });
        Assert.IsInstanceOfType<ConsoleShellStrategy>(device.Strategy);
        Assert.IsInstanceOfType<ConsoleShellDevice>(device.Commands);
        Assert.IsInstanceOfType<PowerSwitch>(device.Strategy.BoardPower);
        Assert.IsInstanceOfType<SerialConsole>(device.Console);
        Assert.AreSame(device.Console, device.Commands.Console, "the shell uses the board's console");
        Assert.IsInstanceOfType<CommandPower>(device.Power);
        Assert.AreEqual("console tcp://127.0.0.1:3001 (115200 baud)", device.Transports[0]);
        StringAssert.StartsWith(device.Transports[1], "power power commands");
    }

    [TestMethod]
    public async Task Ssh_with_serial_runs_commands_over_ssh_and_keeps_the_console()
    {
        await using var device = Create(new DeviceConfig
        {
            Name = "b",
            Ssh = Ssh,
            Serial = new SerialConfig { Port = "rfc2217://127.0.0.1:3002" },
            Power = new PowerConfig { Pdudaemon = new PdudaemonConfig { Url = new Uri("http://127.0.0.1:16421"), Hostname = "pdu1", Port = 3 } },
        });
        Assert.IsInstanceOfType<SshWithConsoleStrategy>(device.Strategy);
        Assert.IsInstanceOfType<SshDevice>(device.Commands);
        Assert.IsInstanceOfType<SerialConsole>(device.Console);
        Assert.IsInstanceOfType<PdudaemonPower>(device.Power);
        Assert.HasCount(3, device.Transports);
    }

    [TestMethod]
    public async Task Qemu_runs_commands_over_its_serial_console_with_qmp_power_and_starts_nothing_yet()
    {
        await using var device = Create(new DeviceConfig { Name = "q", Qemu = new QemuConfig { Kernel = "vmlinuz" } });
        Assert.IsInstanceOfType<ConsoleShellStrategy>(device.Strategy);
        Assert.IsInstanceOfType<ConsoleShellDevice>(device.Commands);
        Assert.IsInstanceOfType<QmpPower>(device.Power);
        var qemu = (QemuStrategy)device.Strategy.BoardPower!;
        Assert.AreEqual(QemuState.Off, qemu.State);
        Assert.IsFalse(qemu.Machine.IsRunning);
        Assert.IsTrue(device.Transports.Any(t => t.StartsWith("qemu qemu-system-x86_64", StringComparison.Ordinal)), string.Join(", ", device.Transports));
    }

    [TestMethod]
    public async Task Qemu_with_ssh_runs_commands_over_ssh_and_a_power_section_wins_over_qmp()
    {
        await using var device = Create(new DeviceConfig
        {
            Name = "q",
            Ssh = Ssh,
            Qemu = new QemuConfig { Kernel = "vmlinuz", Forwards = ["tcp:127.0.0.1:2222-:22"] },
            Power = new PowerConfig { Command = new CommandPowerConfig { On = "true", Off = "true" } },
        });
        Assert.IsInstanceOfType<SshWithConsoleStrategy>(device.Strategy);
        Assert.IsInstanceOfType<SshDevice>(device.Commands);
        Assert.IsNotNull(device.Console, "QEMU's serial is the console");
        Assert.IsInstanceOfType<QemuStrategy>(device.Strategy.BoardPower, "QEMU starts and stops the board");
        Assert.IsInstanceOfType<CommandPower>(device.Power, "the power section power-cycles it");
    }

    [TestMethod]
    public void Qemu_with_serial_is_refused_with_what_to_do()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => DeviceFactory.Create(new DeviceConfig
        {
            Name = "q",
            Qemu = new QemuConfig { Kernel = "vmlinuz" },
            Serial = new SerialConfig { Port = "/dev/ttyUSB0" },
        }));
        StringAssert.Contains(error.Message, "remove `serial`");
    }

    [TestMethod]
    public async Task A_relative_kernel_path_resolves_against_the_devices_file_directory()
    {
        var dir = Directory.CreateTempSubdirectory("dt-factory-");
        try
        {
            await using var device = Create(new DeviceConfig { Name = "q", Qemu = new QemuConfig { Kernel = "images/vmlinuz" }, BaseDirectory = dir.FullName });

            var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(
                () => device.EnsureReadyAsync(TimeSpan.FromSeconds(30), CancellationToken.None));

            StringAssert.Contains(error.Message, Path.Combine(dir.FullName, "images", "vmlinuz"));
            StringAssert.Contains(error.Message, "qemu.kernel");
            Assert.AreEqual(QemuState.Off, ((QemuStrategy)device.Strategy.BoardPower!).State);
            Assert.AreEqual(BoardState.Unknown, device.Strategy.State);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [TestMethod]
    public async Task Without_power_a_lost_device_that_does_not_answer_is_a_clear_failure()
    {
        await using var device = Create(new DeviceConfig
        {
            Name = "b",
            Serial = new SerialConfig { Port = "/dev/devicetest-no-such-tty" },
        });
        var lost = new DeviceLostException("device lost: the console closed");

        var error = await device.Strategy.RecoverAsync(lost, CancellationToken.None);

        StringAssert.StartsWith(error.Message, "device lost: the console closed; device 'b' does not answer any more");
        StringAssert.Contains(error.Message, "/dev/devicetest-no-such-tty");
        StringAssert.Contains(error.Message, "add a `power` section");
        Assert.AreSame(lost, error.InnerException);
    }

    private static Board Create(DeviceConfig config) => (Board)DeviceFactory.Create(config);
}
