using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using TestResult = DeviceTest.Framework.Results.TestResult;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>Keeps what a run reported (unless <see cref="Keep"/> is off) and can act on each result.</summary>
public sealed class RecordingObserver : IRunObserver
{
    public bool Keep { get; set; } = true;

    /// <summary>"start X", "finish X Outcome", "reboot-start /sbin/reboot", "reboot-finish /sbin/reboot"... in order.</summary>
    public List<string> Events { get; } = [];

    public List<TestResult> Results { get; } = [];

    public List<TestStarted> Started { get; } = [];

    public List<string> Messages { get; } = [];

    /// <summary>How each step that is not a tests step ended, in order.</summary>
    public List<StepOutcome> StepOutcomes { get; } = [];

    public int FinishedCount { get; private set; }

    /// <summary>Called for each result before it is recorded (e.g. to check its attachments exist now).</summary>
    public Action<TestResult>? OnResult { get; set; }

    public void OnTestStarted(TestStarted started)
    {
        if (Keep)
        {
            Started.Add(started);
            Events.Add("start " + started.Name);
        }
    }

    public Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken)
    {
        FinishedCount++;
        OnResult?.Invoke(result);
        if (Keep)
        {
            Results.Add(result);
            Events.Add($"finish {result.DisplayName} {result.Outcome}");
        }

        return Task.CompletedTask;
    }

    public void OnStepStarted(SpecStep specStep) => Events.Add($"{specStep.Kind}-start {specStep.Summary}");

    public void OnStepFinished(SpecStep specStep, StepOutcome outcome)
    {
        Events.Add($"{specStep.Kind}-finish {specStep.Summary}");
        StepOutcomes.Add(outcome);
    }

    public void OnMessage(string message) => Messages.Add(message);
}
