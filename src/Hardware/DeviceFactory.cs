using System.Globalization;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Consoles.Shell;
using DeviceTest.Hardware.Lab;
using DeviceTest.Hardware.Local;
using DeviceTest.Hardware.Power;
using DeviceTest.Hardware.Qemu;
using DeviceTest.Hardware.Serial;
using DeviceTest.Hardware.Ssh;

namespace DeviceTest.Hardware;

/// <summary>
/// Turns a devices.yml entry into a device (docs/devices.md): every device but <c>local</c> is a <see cref="Board"/>
/// whose boot strategy fits its shape:
/// <list type="bullet">
/// <item><c>ssh</c> alone: <see cref="SshStrategy"/>; with a console (<c>serial</c> or <c>qemu</c>):
/// <see cref="SshWithConsoleStrategy"/>;</item>
/// <item>no <c>ssh</c>: <see cref="ConsoleShellStrategy"/> on the console (<c>serial</c>, or QEMU's serial);</item>
/// <item>power: <see cref="QemuStrategy"/> for <c>qemu</c> (its <c>power</c> section, if any, power-cycles it), a
/// <see cref="PowerSwitch"/> for a <c>power</c> section, else none.</item>
/// </list>
/// A <c>lab</c> section gives the device one <see cref="LabConnection"/>, which its flashing and its screen, keyboard
/// and network commands share and the device disposes. Nothing is contacted or started here.
/// </summary>
public static class DeviceFactory
{
    /// <exception cref="ArgumentException">The entry combines sections that do not go together (qemu with serial).</exception>
    public static IDevice Create(DeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Ssh is null && config.Serial is null && config.Qemu is null)
        {
            // Only `flash`: a flashing station (docs/flash.md); nothing at all: this machine.
            var stationLab = LabConnectionFor(config);
            return Flashing.DeviceFlashFactory.Create(config, null, stationLab) is { } station
                ? new Flashing.FlashStation(config.Name, config.Tags, station, stationLab)
                : new LocalDevice(config.Tags);
        }

        if (config.Qemu is not null && config.Serial is not null)
        {
            throw new ArgumentException(
                $"device '{config.Name}' has both `qemu` and `serial`: a QEMU board's console is its own serial port; remove `serial`.",
                nameof(config));
        }

        var transports = new List<string>();
        if (config.Ssh is not null)
        {
            transports.Add("ssh " + DescribeSsh(config.Ssh));
        }

        var (console, power) = CreateConsoleAndPower(config, transports);
        if (power is not null)
        {
            transports.Add("power " + power.Power.Description);
        }

        // Screen, keyboard and network link (docs/screen-keys-network.md): from their sections, else from QMP.
        var lab = LabConnectionFor(config);
        var capabilities = DeviceCapabilities.Create(config, (power as QemuStrategy)?.Machine as QemuMachine, lab);
        transports.AddRange(capabilities.Descriptions);

        var timeouts = BootTimeouts.For(config);
        IBootStrategy strategy = (config.Ssh, console) switch
        {
            (not null, null) => new SshStrategy(() => new SshDevice(config), power, timeouts),
            (not null, { } watching) => new SshWithConsoleStrategy(() => new SshDevice(config), watching, power, timeouts),
            (null, { } shellConsole) => new ConsoleShellStrategy(
                new ConsoleShellDevice(config.Name, config.Tags, transports, shellConsole, config.Shell ?? new ShellConfig(), power?.Power),
                shellConsole,
                ConsoleSigns.Booted(config.Shell),
                power,
                timeouts),
            (null, null) => throw new ArgumentException($"device '{config.Name}' has neither `ssh` nor a console", nameof(config)),
        };
        return new Board(config.Name, config.Tags, transports, strategy)
        {
            Capabilities = capabilities,
            Flash = Flashing.DeviceFlashFactory.Create(config, strategy, lab),
            LabConnection = lab,
        };
    }

    /// <summary>The console (<c>serial</c>, or QEMU's serial port) and the power (QEMU, a <c>power</c> section, or none).</summary>
    private static (SerialConsole? Console, IBoardPower? Power) CreateConsoleAndPower(DeviceConfig config, List<string> transports)
    {
        var section = config.Power is null ? null : PowerFactory.Create(config.Power);
        if (config.Qemu is { } qemu)
        {
            var machine = new QemuMachine(qemu, new QemuMachineOptions
            {
                Name = config.Name,
                StartPaused = true,
                BaseDirectory = config.BaseDirectory,
            });
            var console = new SerialConsole(config.Name, () => ConsoleTransports.UnixSocket(
                machine.SerialSocketPath ?? throw new DeviceUnreachableException($"device '{config.Name}': QEMU is not running, so its serial console cannot be opened")));
            transports.Add($"qemu {QemuCommandLine.Binary(qemu)} ({qemu.Kernel ?? qemu.Disk}, {qemu.Memory.ToString(CultureInfo.InvariantCulture)} MiB)");
            transports.Add("console QEMU serial (unix socket)");
            return (console, new QemuStrategy(machine, console, section));
        }

        if (config.Serial is { } serial)
        {
            transports.Add($"console {serial.Port} ({serial.Baud.ToString(CultureInfo.InvariantCulture)} baud)");
            return (new SerialConsole(config.Name, serial), section is null ? null : new PowerSwitch(section));
        }

        return (null, section is null ? null : new PowerSwitch(section));
    }

    /// <summary>The device's one connection to its lab host, or null without a <c>lab</c> section.</summary>
    private static LabConnection? LabConnectionFor(DeviceConfig config) =>
        config.Lab is { } lab ? new LabConnection(config.Name, lab, config.BaseDirectory) : null;

    private static string DescribeSsh(SshConfig ssh) =>
        (ssh.User is null ? string.Empty : ssh.User + "@") + ssh.Host + (ssh.Port is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : string.Empty);
}
