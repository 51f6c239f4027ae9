using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;

namespace E2E;

[DeviceSuite]
public sealed class MixedSuite(IDevice device)
{
    [DeviceTest]
    public async Task Passes(CancellationToken ct)
    {
        var result = await device.RunAsync("echo suite", ct);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("echo failed");
        }
    }

    [DeviceTest]
    public Task Fails(CancellationToken ct) =>
        throw new InvalidOperationException($"suite failure on purpose on '{device.Name}'");

    [DeviceTest(Skip = "not on this board")]
    public Task Skipped(CancellationToken ct) => device.RunAsync("true", ct);
}
