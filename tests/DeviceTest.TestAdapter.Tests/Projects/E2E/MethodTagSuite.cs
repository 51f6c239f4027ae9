using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;

namespace E2E;

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
