using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;

namespace E2E;

/// <summary>No device of the test pools has the tag gpu: skipped with the reason.</summary>
[DeviceSuite]
[RequiresTags("gpu")]
public sealed class GpuSuite(IDevice device)
{
    [DeviceTest]
    public async Task Needs_a_gpu(CancellationToken ct) => await device.RunAsync("true", ct);
}
