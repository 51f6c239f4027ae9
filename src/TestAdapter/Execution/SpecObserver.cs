using TestResult = DeviceTest.Framework.Results.TestResult;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>Records a spec's results in VSTest as each test finishes.</summary>
internal sealed class SpecObserver(SpecWorkItem item, string deviceName, ResultRecorder recorder) : IRunObserver
{
    private readonly HashSet<TestCase> _reported = [];

    /// <summary>The selected tests that got no result (e.g. the run stopped before them).</summary>
    public IEnumerable<TestCase> Unreported => item.TestCases.Where(t => !_reported.Contains(t));

    public void OnTestStarted(TestStarted started)
    {
        if (item.Find($"{started.Spec.Name}/{started.Test.StepIndex}/{started.Test.UniqueName}") is { } testCase)
        {
            recorder.Start(testCase);
        }
    }

    public Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (item.Find(result.TestId) is { } testCase)
        {
            _reported.Add(testCase);
            recorder.Record(testCase, result, deviceName);
        }

        return Task.CompletedTask;
    }

    public void OnRebootStarted(RebootStep reboot)
    {
        ArgumentNullException.ThrowIfNull(reboot);
        recorder.Message(TestMessageLevel.Informational, $"DeviceTest: device '{deviceName}': reboot at {reboot.Position}");
    }

    public void OnRebootFinished(RebootStep reboot, RebootOutcome outcome)
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
