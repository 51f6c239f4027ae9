using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Local;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>Opens devices from their devices.yml entries.</summary>
internal sealed class DefaultDeviceProvider : IDeviceProvider
{
    public Task<IDevice> OpenAsync(DeviceConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Name == DeviceFileLoader.LocalDeviceName)
        {
            return Task.FromResult<IDevice>(new LocalDevice(config.Tags));
        }

        throw new NotSupportedException(
            $"device '{config.Name}': this build of DeviceTest.TestAdapter can only open the 'local' device.");
    }
}
