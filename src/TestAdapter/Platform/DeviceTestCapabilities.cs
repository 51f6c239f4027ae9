using Microsoft.Testing.Extensions.TrxReport.Abstractions;

namespace DeviceTest.TestAdapter.Platform;

/// <summary>
/// What DeviceTest tells Microsoft.Testing.Platform it can do: its results carry what a TRX report needs (the bridge
/// adds the TRX properties to each test node when a report is asked for, e.g. <c>--report-trx</c>).
/// </summary>
internal sealed class DeviceTestCapabilities : ITrxReportCapability
{
    public bool IsSupported => true;

    public bool IsEnabled { get; private set; }

    public void Enable() => IsEnabled = true;
}
