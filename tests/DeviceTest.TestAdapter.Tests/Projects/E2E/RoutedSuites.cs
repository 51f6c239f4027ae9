using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;

namespace E2E;

/// <summary>Needs a device with the tag wifi (class level): the run must lease one.</summary>
[DeviceSuite]
[RequiresTags("wifi")]
public sealed class WifiSuite(IDevice device)
{
    [DeviceTest]
    public async Task Runs_where_there_is_wifi(CancellationToken ct) => await device.RunAsync("true", ct);
}

/// <summary>Only one test asks for wifi: the suite goes to a wifi device when the pool has one.</summary>
[DeviceSuite]
public sealed class MethodTagSuite(IDevice device)
{
    [DeviceTest]
    public async Task Plain(CancellationToken ct) => await device.RunAsync("true", ct);

    [DeviceTest]
    [RequiresTags("wifi")]
    public async Task Wants_wifi(CancellationToken ct) => await device.RunAsync("true", ct);
}

/// <summary>No device of the test pools has the tag gpu: skipped with the reason.</summary>
[DeviceSuite]
[RequiresTags("gpu")]
public sealed class GpuSuite(IDevice device)
{
    [DeviceTest]
    public async Task Needs_a_gpu(CancellationToken ct) => await device.RunAsync("true", ct);
}
