using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>Opens a device from its devices.yml entry, ready for commands (tests pass fakes).</summary>
internal interface IDeviceProvider
{
    /// <exception cref="DeviceUnreachableException">The device cannot be reached.</exception>
    /// <exception cref="TimeoutException">The device did not come up within its boot timeout.</exception>
    /// <exception cref="ArgumentException">The entry combines sections that do not go together.</exception>
    /// <exception cref="NotSupportedException">The entry needs a transport this build cannot open.</exception>
    Task<IDevice> OpenAsync(DeviceConfig config, CancellationToken cancellationToken);
}
