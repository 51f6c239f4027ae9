using DeviceTest.Framework.Specs;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// What a <see cref="PlannedWorkItem"/> needs from the run to become an item for one device: the runsettings'
/// default timeout, the results folder, and for specs what to do after a reboot step (put the DeviceArtifact items back).
/// </summary>
internal sealed record WorkItemSettings(
    TimeSpan? DefaultTimeout,
    string ResultsDirectory,
    Func<RebootStep, CancellationToken, Task>? AfterReboot);
