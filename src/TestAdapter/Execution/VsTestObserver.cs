using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;
using TestResult = DeviceTest.Framework.Results.TestResult;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Records an item's results in VSTest as each test finishes; a result that is no selected test (a failed teardown,
/// a step's own result) gets a test case of its own. Steps and messages become VSTest messages.
/// </summary>
internal sealed class VsTestObserver(PlannedWorkItem item, string deviceName, ResultRecorder recorder) : IRunObserver
{
    private readonly HashSet<TestCase> _reported = [];

    /// <summary>The selected tests that got no result (e.g. the run stopped before them).</summary>
    public IEnumerable<TestCase> Unreported => item.TestCases.Where(t => !_reported.Contains(t));

    public void OnTestStarted(TestStarted started)
    {
        ArgumentNullException.ThrowIfNull(started);
        AdapterTrace.Mark("observer: test started");
        if (item.Find(started.TestId) is { } testCase)
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
            testCase = new TestCase(result.TestId, AdapterConstants.ExecutorUri, item.Source)
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

    public void OnStepStarted(SpecStep specStep)
    {
        ArgumentNullException.ThrowIfNull(specStep);
        recorder.Message(TestMessageLevel.Informational, $"DeviceTest: device '{deviceName}': {specStep.Kind} at {specStep.Position}");
    }

    public void OnStepFinished(SpecStep specStep, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        recorder.Message(TestMessageLevel.Informational, $"DeviceTest: device '{deviceName}': {outcome.Details}");
    }

    public void OnMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var level = message.StartsWith("warning", StringComparison.OrdinalIgnoreCase) ? TestMessageLevel.Warning : TestMessageLevel.Informational;
        recorder.Message(level, $"DeviceTest: {message}");
    }
}
