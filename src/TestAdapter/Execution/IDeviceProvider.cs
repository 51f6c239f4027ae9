using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>Opens a device from its devices.yml entry (tests pass fakes).</summary>
internal interface IDeviceProvider
{
    /// <exception cref="DeviceUnreachableException">The device cannot be reached.</exception>
    /// <exception cref="NotSupportedException">The entry needs a transport this build cannot open.</exception>
    Task<IDevice> OpenAsync(DeviceConfig config, CancellationToken cancellationToken);
}
