namespace DeviceTest.Framework.Running;

/// <summary>How a run behaves beyond what the spec says.</summary>
public sealed class RunOptions
{
    /// <summary>A test's timeout when the spec gives none (DESIGN.md: 10 minutes).</summary>
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

    /// <summary>Clock for delays and timestamps (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
