using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>What <see cref="ITestCommandRunner"/> runs for one test execution.</summary>
internal sealed class TestCommand
{
    public required CommandLine Command { get; init; }

    /// <summary>The test's own variables; the runner adds <c>TEST_DIR</c> and <c>ARTIFACTS_DIR</c>.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required TimeSpan Timeout { get; init; }

    /// <summary>Receives the combined output as it comes (console.log).</summary>
    public required IOutputObserver Output { get; init; }

    /// <summary>
    /// The local folder to fetch the work directory into (<c>results/</c>, <c>artifacts/</c>); it does not exist
    /// before. The runner removes it when fetching fails.
    /// </summary>
    public required string FetchTo { get; init; }

    /// <summary>How many more test executions follow in the step (<see cref="long.MaxValue"/>: forever).</summary>
    public long Following { get; init; }
}
