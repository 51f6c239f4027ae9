using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;

namespace ResultsProject;

[DeviceSuite]
public sealed class SkippingSuite(IDevice device)
{
    [DeviceTest(Name = "suite-passes")]
    public async Task Passes(CancellationToken ct)
    {
        var result = await device.RunAsync("true", ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("true failed");
        }
    }

    [DeviceTest(Skip = "not on this board")]
    public Task Skipped(CancellationToken ct) => device.RunAsync("true", ct);
}
