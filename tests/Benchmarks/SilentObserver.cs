using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Benchmarks;

/// <summary>An <see cref="IRunObserver"/> that keeps nothing: a benchmark times the run, not its reporting.</summary>
internal sealed class SilentObserver : IRunObserver
{
    public void OnTestStarted(TestStarted started)
    {
    }

    public Task OnTestFinishedAsync(DeviceTest.Framework.Results.TestResult result, CancellationToken cancellationToken) => Task.CompletedTask;

    public void OnStepStarted(SpecStep specStep)
    {
    }

    public void OnStepFinished(SpecStep specStep, StepOutcome outcome)
    {
    }

    public void OnMessage(string message)
    {
    }
}
