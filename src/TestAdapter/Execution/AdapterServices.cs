using DeviceTest.TestAdapter.Discovery;
using DeviceTest.Framework.Leasing;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>What the executor needs from the outside world (tests replace parts of it).</summary>
internal sealed class AdapterServices
{
    public static AdapterServices Default => new();

    public SourceDiscovery Discovery { get; init; } = SourceDiscovery.CreateDefault();

    public IDeviceProvider Devices { get; init; } = new DefaultDeviceProvider();

    /// <summary>The lock-file folder used when the run names no lease store (runsettings Leases, DEVICETEST_LEASES).</summary>
    public LeaseDirectory Leases { get; init; } = LeaseDirectory.Default();
}
