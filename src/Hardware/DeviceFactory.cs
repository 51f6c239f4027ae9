using System.Globalization;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Local;
using DeviceTest.Hardware.Power;
using DeviceTest.Hardware.Qemu;
using DeviceTest.Hardware.Serial;
using DeviceTest.Hardware.Ssh;

namespace DeviceTest.Hardware;

/// <summary>
/// Turns a devices.yml entry into a device (DESIGN.md §2, docs/devices.md): commands over <c>ssh</c> when there is
/// one, else over the console shell; power from <c>power</c> or QEMU's QMP; the console from <c>serial</c> or QEMU's
/// serial port. Every device but <c>local</c> is a <see cref="Board"/> with a <see cref="BootStrategy"/>.
/// </summary>
public static class DeviceFactory
{
    /// <exception cref="ArgumentException">The entry combines sections that do not go together (qemu with serial).</exception>
    public static IDevice Create(DeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Ssh is null && config.Serial is null && config.Qemu is null)
        {
            return new LocalDevice(config.Tags);
        }

        if (config.Qemu is not null && config.Serial is not null)
        {
            throw new ArgumentException(
                $"device '{config.Name}' has both `qemu` and `serial`: a QEMU board's console is its own serial port; remove `serial`.",
                nameof(config));
        }

        var strategy = new BootStrategy(config.Shell) { AnswerTimeout = config.Ssh?.ConnectTimeout ?? TimeSpan.FromSeconds(10) };
        var shell = config.Shell ?? new ShellConfig();
        var transports = new List<string>();
        if (config.Ssh is not null)
        {
            transports.Add("ssh " + DescribeSsh(config.Ssh));
        }

        QemuMachine? machine = null;
        SerialConsole? console = null;
        if (config.Qemu is { } qemu)
        {
            machine = new QemuMachine(qemu, new QemuMachineOptions
            {
                Name = config.Name,
                StartPaused = true,
                BaseDirectory = config.BaseDirectory,
            });
            var started = machine;
            console = new SerialConsole(config.Name, () => new TcpTransport(
                "127.0.0.1",
                started.SerialEndpoint?.Port ?? throw new DeviceUnreachableException($"device '{config.Name}': QEMU is not running, so its serial console cannot be opened")));
            transports.Add($"qemu {QemuCommandLine.Binary(qemu)} ({qemu.Kernel ?? qemu.Disk}, {qemu.Memory.ToString(CultureInfo.InvariantCulture)} MiB)");
            transports.Add("console QEMU serial (tcp://127.0.0.1)");
        }
        else if (config.Serial is { } serial)
        {
            console = new SerialConsole(config.Name, serial);
            transports.Add($"console {serial.Port} ({serial.Baud.ToString(CultureInfo.InvariantCulture)} baud)");
        }

        var power = PowerFactory.Create(config.Power, machine);
        if (power is not null)
        {
            transports.Add("power " + power.Description);
        }

        // Screen, keyboard and network link (docs/screen-keys-network.md): from their sections, else from QMP.
        var capabilities = DeviceCapabilities.Create(config, machine);
        transports.AddRange(capabilities.Descriptions);

        if (config.Ssh is not null)
        {
            return new Board(config.Name, config.Tags, transports, () => new SshDevice(config), commandsOverConsole: false, console, power, machine, strategy)
            {
                Capabilities = capabilities,
            };
        }

        var shellConsole = console!;
        return new Board(
            config.Name,
            config.Tags,
            transports,
            () => new ConsoleShellDevice(config.Name, config.Tags, transports, shellConsole, shell, power),
            commandsOverConsole: true,
            console,
            power,
            machine,
            strategy)
        {
            Capabilities = capabilities,
        };
    }

    private static string DescribeSsh(SshConfig ssh) =>
        (ssh.User is null ? string.Empty : ssh.User + "@") + ssh.Host + (ssh.Port is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : string.Empty);
}
