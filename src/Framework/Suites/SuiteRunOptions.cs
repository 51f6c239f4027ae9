namespace DeviceTest.Framework.Suites;

/// <summary>How <see cref="SuiteRunner"/> runs suites beyond what their attributes say.</summary>
public sealed class SuiteRunOptions
{
    /// <summary>The timeout of tests, setups and teardowns that give none (10 minutes).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// After a timeout or a cancelled run, how long a test gets to stop once its CancellationToken is cancelled.
    /// A test still running after that is reported and left behind, and the run goes on.
    /// </summary>
    public TimeSpan CancelGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest teardown (and dispose) may run once the run was cancelled.</summary>
    public TimeSpan TeardownAfterCancelTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When true (default), each command a test runs through its <c>IDevice</c> is written to the test's output
    /// (<c>$ command</c>, its stdout and stderr, the exit code), so a failed test shows what it did on the device.
    /// </summary>
    public bool RecordCommands { get; init; } = true;

    /// <summary>How many characters of output each result keeps (the rest is cut with a note). Default 1 MiB.</summary>
    public int MaxOutputChars { get; init; } = 1024 * 1024;

    /// <summary>Extra constructor arguments for suites: asked for any parameter type the runner does not supply itself.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>
    /// Where a failed test's screenshot and a screen mismatch's pictures go (<c>&lt;dir&gt;/&lt;suite&gt;/&lt;test&gt;/</c>).
    /// Null: under the system's temporary folder, replaced by the next run of the same test.
    /// </summary>
    public string? ResultsDirectory { get; init; }

    /// <summary>Clock for timeouts, timestamps and durations (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
