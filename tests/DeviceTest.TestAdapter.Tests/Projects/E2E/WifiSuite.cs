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
