using DeviceTest.TestAdapter.Discovery;
using DeviceTest.TestAdapter.Leasing;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>What the executor needs from the outside world (tests replace parts of it).</summary>
internal sealed class AdapterServices
{
    public static AdapterServices Default => new();

    public SourceDiscovery Discovery { get; init; } = SourceDiscovery.CreateDefault();

    public IDeviceProvider Devices { get; init; } = new DefaultDeviceProvider();

    public LeaseDirectory Leases { get; init; } = LeaseDirectory.Default();
}
