using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Suites;

/// <summary>
/// Runs C# device suites on one device. Per suite: one instance (constructor injection), setup once before the first
/// test that runs, the selected tests in declaration order each with its timeout, then teardown (also after failures
/// and cancellation) and disposal. Each result reaches the observer as soon as the test finished.
/// </summary>
/// <remarks>
/// Outcomes: an exception fails the test (message = the exception's message, details = its full text with stack);
/// <see cref="SkipTestException"/>, <see cref="DeviceTestAttribute.Skip"/> and unmet <see cref="RequiresTagsAttribute"/>
/// tags skip it; a timeout cancels the test's token and fails it ("timed out after 30s"). A test that ignores its
/// token gets <see cref="SuiteRunOptions.CancelGracePeriod"/> and is then left running while the run goes on.
/// Setup, teardown and disposal add a result only when they fail: a failed teardown or dispose is an extra failed
/// result whose id is <c>Namespace.Type.Method</c> of the teardown method (or <c>Dispose</c>/<c>DisposeAsync</c>),
/// with the property <c>kind</c> = <c>teardown</c>. A cancelled run reports the running test as failed ("cancelled"),
/// reports nothing for the tests after it, and still runs teardown (for at most
/// <see cref="SuiteRunOptions.TeardownAfterCancelTimeout"/>).
/// </remarks>
public sealed class SuiteRunner
{
    private readonly SuiteRunOptions _options;

    public SuiteRunner(SuiteRunOptions? options = null)
    {
        _options = options ?? new SuiteRunOptions();
    }

    /// <summary>Runs every test of <paramref name="suite"/>.</summary>
    public Task<IReadOnlyList<TestResult>> RunAsync(
        SuiteDescriptor suite, IDevice device, IRunObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return RunAsync(suite.Tests, device, observer, cancellationToken);
    }

    /// <summary>
    /// Runs the selected tests: suite by suite (in the order each suite first appears in <paramref name="tests"/>),
    /// each suite's tests in declaration order whatever order they were selected in. Tests not selected do not run.
    /// </summary>
    /// <returns>The results, in the order they were reported.</returns>
    public async Task<IReadOnlyList<TestResult>> RunAsync(
        IEnumerable<SuiteTestDescriptor> tests, IDevice device, IRunObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tests);
        ArgumentNullException.ThrowIfNull(device);
        var results = new List<TestResult>();
        foreach (var group in tests.Distinct().GroupBy(t => t.Suite))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var selected = group.OrderBy(t => t.Index).ToList();
            using var run = new SuiteRun(group.Key, device, _options, observer, results);
            await run.RunAsync(selected, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }
}
