using DeviceTest.Framework.Results;

namespace DeviceTest.Framework.Suites;

/// <summary>Hears what <see cref="SuiteRunner"/> does as it happens (the adapter's recorder, live progress).</summary>
public interface ISuiteObserver
{
    /// <summary>A test is about to run (not called for tests skipped or failed without running).</summary>
    void OnTestStarted(SuiteTestStarted started);

    /// <summary>A result, delivered as soon as the test (or a failing teardown) finished.</summary>
    Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken);
}
