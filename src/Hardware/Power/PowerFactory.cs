using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Power;

/// <summary>Makes the <see cref="IPower"/> a device's configuration asks for.</summary>
public static class PowerFactory
{
    /// <summary>The backend of a <c>power</c> section: command or pdudaemon.</summary>
    /// <exception cref="ArgumentException">The section names no backend, or both.</exception>
    public static IPower Create(PowerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return (config.Command, config.Pdudaemon) switch
        {
            ({ } command, null) => new CommandPower(command),
            (null, { } pdu) => new PdudaemonPower(pdu),
            (null, null) => throw new ArgumentException(
                "The power section needs one backend: 'command: { on, off }' or 'pdudaemon: { url, hostname, port }'.",
                nameof(config)),
            _ => throw new ArgumentException(
                "The power section has both 'command' and 'pdudaemon'; keep one.", nameof(config)),
        };
    }

    /// <summary>
    /// A device's power: its <c>power</c> section when it has one (a real switch wins), else QMP of its QEMU
    /// board, else null.
    /// </summary>
    public static IPower? Create(PowerConfig? config, QemuMachine? machine) =>
        config is not null ? Create(config) : machine is not null ? new QmpPower(machine) : null;
}
