using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Local;
using DeviceTest.Hardware.Power;
using DeviceTest.Hardware.Ssh;

namespace DeviceTest.Hardware;

/// <summary>
/// Turns a devices.yml entry into a device: commands over <c>ssh</c> when there is one, else over the console
/// shell; power from <c>power</c> or QEMU's QMP; the console from <c>serial</c> or QEMU's serial port.
/// </summary>
public static class DeviceFactory
{
    public static IDevice Create(DeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Ssh is null && config.Serial is null && config.Qemu is null)
        {
            return new LocalDevice(config.Tags);
        }

        var power = PowerFactory.Create(config.Power, machine: null);
        if (config.Qemu is null && config.Serial is null)
        {
            return new SshDevice(config, console: null, power: power);
        }

        if (config.Qemu is null && config.Ssh is null)
        {
            return new ConsoleShellDevice(config, power);
        }

        throw new NotSupportedException($"device '{config.Name}': QEMU devices and serial+SSH combinations are not wired yet");
    }
}
