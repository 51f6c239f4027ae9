namespace DeviceTest.Framework.Running;

/// <summary>How a run behaves beyond what the spec says.</summary>
public sealed class RunOptions
{
    /// <summary>The variable every spec test gets with the device's name in devices.yml.</summary>
    public const string DeviceVariable = "DEVICETEST_DEVICE";

    /// <summary>A test's timeout when the spec gives none (10 minutes).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a reboot step waits for the device when the spec gives no timeout.</summary>
    public TimeSpan DefaultRebootTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where console logs and artifacts go, one folder per test execution. Null: a temporary folder that is
    /// removed when the run ends (results then carry no attachments that outlive the run).
    /// </summary>
    public string? ResultsDirectory { get; init; }

    /// <summary>Which tests run (the adapter's "run selected", filters); null: all. Reboot steps between selected
    /// tests still run.</summary>
    public Func<Specs.SpecTest, bool>? TestFilter { get; init; }

    /// <summary>
    /// Where the run begins (resume after a reboot): steps before <see cref="RunPosition.StepIndex"/> are not run; in
    /// that step the run starts at <see cref="RunPosition.TestIndex"/> of iteration <see cref="RunPosition.Iteration"/>
    /// (iteration numbers keep counting from there, so a repeat's total and a soak's count survive). Null: from the start.
    /// </summary>
    public RunPosition? StartAt { get; init; }

    /// <summary>
    /// Awaited right before each result is produced, with its name and place in the run: before a test execution
    /// starts (before <see cref="IRunObserver.OnTestStarted"/>), before a test is reported without running, and before
    /// a step reports a result of its own (<see cref="StepContext.ReportAsync"/>). The agent persists its state and
    /// records the start here. An exception ends the run.
    /// </summary>
    public Func<TestStarting, CancellationToken, Task>? BeforeTest { get; init; }

    /// <summary>
    /// Awaited right before a reboot step's command runs. The agent persists where to resume here. An exception ends
    /// the run without rebooting.
    /// </summary>
    public Func<Specs.RebootStep, CancellationToken, Task>? BeforeReboot { get; init; }

    /// <summary>
    /// Awaited after a reboot step brought the device back, before the next test. The test adapter puts the project's
    /// DeviceArtifact items back here (a root file system in RAM, or an OTA update that replaced it, lost them). An
    /// exception fails the remaining tests the way a device that did not come back does, with its message.
    /// </summary>
    public Func<Specs.RebootStep, CancellationToken, Task>? AfterReboot { get; init; }

    /// <summary>
    /// Added to every test's environment, after the spec's own <c>env</c>; <see cref="DeviceVariable"/> is added after
    /// both unless one of them sets it, and <c>TEST_DIR</c> and <c>ARTIFACTS_DIR</c> still come last.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Clock for delays and timestamps (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
