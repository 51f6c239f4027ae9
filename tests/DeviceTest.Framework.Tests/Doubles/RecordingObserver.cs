using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;
using TestResult = DeviceTest.Framework.Results.TestResult;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>Keeps what a run reported (unless <see cref="Keep"/> is off) and can act on each result.</summary>
public sealed class RecordingObserver : IRunObserver
{
    public bool Keep { get; set; } = true;

    public List<string> Events { get; } = [];

    public List<TestResult> Results { get; } = [];

    public List<TestStarted> Started { get; } = [];

    public List<string> Messages { get; } = [];

    public List<RebootOutcome> Reboots { get; } = [];

    public int FinishedCount { get; private set; }

    /// <summary>Called for each result before it is recorded (e.g. to check its attachments exist now).</summary>
    public Action<TestResult>? OnResult { get; set; }

    public void OnTestStarted(TestStarted started)
    {
        if (Keep)
        {
            Started.Add(started);
            Events.Add("start " + started.Test.UniqueName);
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

    public void OnRebootStarted(RebootStep reboot) => Events.Add("reboot-start " + reboot.Command);

    public void OnRebootFinished(RebootStep reboot, RebootOutcome outcome)
    {
        Events.Add("reboot-finish " + reboot.Command);
        Reboots.Add(outcome);
    }

    public void OnMessage(string message) => Messages.Add(message);
}
