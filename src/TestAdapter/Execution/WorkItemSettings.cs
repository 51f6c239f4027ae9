using DeviceTest.Framework.Specs;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// What a <see cref="PlannedWorkItem"/> needs from the run to become an item for one device: the runsettings'
/// default timeout, the results folder, and for specs what to do after a reboot step (put the DeviceArtifact items back).
/// </summary>
internal sealed record WorkItemSettings(
    TimeSpan? DefaultTimeout,
    string ResultsDirectory,
    Func<RebootStep, CancellationToken, Task>? AfterReboot)
{
    /// <summary>Leases: added to each spec test's environment (<c>DEVICETEST_DEVICE</c>).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Leases: awaited before each spec test; throws once the device's lease is lost.</summary>
    public Func<Framework.Running.TestStarting, CancellationToken, Task>? BeforeTest { get; init; }
}
