using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>Opens devices from their devices.yml entries with the Hardware layer's <see cref="DeviceFactory"/>.</summary>
internal sealed class DefaultDeviceProvider : IDeviceProvider
{
    public Task<IDevice> OpenAsync(DeviceConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(DeviceFactory.Create(config));
    }
}
