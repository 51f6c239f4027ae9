using TestResult = DeviceTest.Framework.Results.TestResult;
using DeviceTest.Framework.Suites;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>Records a suite's results in VSTest as each test finishes; teardown failures get a test case of their own.</summary>
internal sealed class SuiteObserver(SuiteWorkItem item, string source, string deviceName, ResultRecorder recorder) : ISuiteObserver
{
    private readonly HashSet<TestCase> _reported = [];

    public IEnumerable<TestCase> Unreported => item.TestCases.Where(t => !_reported.Contains(t));

    public void OnTestStarted(SuiteTestStarted started)
    {
        ArgumentNullException.ThrowIfNull(started);
        if (item.Find(started.Test.Id) is { } testCase)
        {
            recorder.Start(testCase);
        }
    }

    public Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var testCase = item.Find(result.TestId);
        if (testCase is null)
        {
            // A failing teardown or dispose: not a discovered test, but it must show as a failure.
            testCase = new TestCase(result.TestId, AdapterConstants.ExecutorUri, source)
            {
                DisplayName = result.Name,
                CodeFilePath = result.SourceFile,
                LineNumber = result.SourceLine ?? -1,
            };
        }
        else
        {
            _reported.Add(testCase);
        }

        recorder.Record(testCase, result, deviceName);
        return Task.CompletedTask;
    }
}
