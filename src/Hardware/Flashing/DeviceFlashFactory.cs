using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Flashing.Sequences;
using DeviceTest.Hardware.Flashing.Writers;
using DeviceTest.Hardware.Lab;
using DeviceTest.Hardware.Local;

namespace DeviceTest.Hardware.Flashing;

/// <summary>Picks a device's flash from its devices.yml entry: <c>flash.disk</c>, <c>flash.command</c> or <c>qemu.disk</c>.</summary>
internal static class DeviceFlashFactory
{
    /// <summary>The flash for <paramref name="config"/>, or null when it has none.</summary>
    /// <param name="config">The device entry.</param>
    /// <param name="strategy">Its board's boot strategy; null for a flashing station.</param>
    /// <param name="labConnection">Its lab connection when it has a <c>lab</c> section (the device owns it), else null.</param>
    public static IDeviceFlash? Create(DeviceConfig config, IBootStrategy? strategy, LabConnection? labConnection)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Flash is { Disk: not null } medium)
        {
            IMediumWriter writer = config.Lab is null ? new LocalMediumWriter()
                : new LabMediumWriter(labConnection ?? throw new ArgumentException($"device '{config.Name}' has a `lab` section but no lab connection", nameof(labConnection)));
            return new MediumFlash(config.Name, medium, strategy, writer);
        }

        if (config.Flash is { Command: not null } vendor)
        {
            return new CommandFlash(config.Name, vendor, strategy, new LocalDevice());
        }

        if (config.Qemu is { Disk: { } disk } && strategy is not null)
        {
            return new QemuDiskFlash(config.Name, Path.GetFullPath(disk, config.BaseDirectory), strategy);
        }

        return null;
    }
}
