using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Opens devices from their devices.yml entries with the Hardware layer's <see cref="DeviceFactory"/> and brings them
/// to "shell ready" through their boot strategy (a QEMU board is started, a console logged in, SSH answers), as
/// <c>devicetest run</c> does before the first test.
/// </summary>
internal sealed class DefaultDeviceProvider : IDeviceProvider
{
    public async Task<IDevice> OpenAsync(DeviceConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        cancellationToken.ThrowIfCancellationRequested();
        var device = DeviceFactory.Create(config);
        try
        {
            await device.EnsureReadyAsync(config.Shell?.BootTimeout ?? TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
            return device;
        }
        catch
        {
            await device.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
