using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Suites;

/// <summary>Selected tests of C# suites with the options of their run: <see cref="SuiteRunner"/> runs them.</summary>
public sealed class SuiteWorkItem(IReadOnlyList<SuiteTestDescriptor> tests, SuiteRunOptions options) : IWorkItem
{
    public IReadOnlyList<SuiteTestDescriptor> Tests { get; } = tests ?? throw new ArgumentNullException(nameof(tests));

    public SuiteRunOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public async Task<RunSummary> RunAsync(IDevice device, IRunObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var startTime = Options.TimeProvider.GetUtcNow();
        var results = await new SuiteRunner(Options).RunAsync(Tests, device, observer, cancellationToken).ConfigureAwait(false);
        return new RunSummary
        {
            RunName = string.Join(", ", Tests.Select(t => t.Suite.TypeName).Distinct(StringComparer.Ordinal)),
            DeviceName = device.Name,
            StartTime = startTime,
            EndTime = Options.TimeProvider.GetUtcNow(),
            Passed = results.Count(r => r.Outcome == TestOutcome.Passed),
            Failed = results.Count(r => r.Outcome == TestOutcome.Failed),
            Skipped = results.Count(r => r.Outcome == TestOutcome.Skipped),
            Cancelled = cancellationToken.IsCancellationRequested,
        };
    }
}
