using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Agent.Progress;

/// <summary>Passes run events to the live progress and every result file writer.</summary>
internal sealed class ResultFanOut(IRunObserver progress, IReadOnlyList<IResultSink> sinks) : IRunObserver
{
    public void OnTestStarted(TestStarted started) => progress.OnTestStarted(started);

    public async Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken)
    {
        // Result files first: a run killed right after this still has the result on disk.
        foreach (var sink in sinks)
        {
            await sink.AddAsync(result, cancellationToken);
        }

        await progress.OnTestFinishedAsync(result, cancellationToken);
    }

    public void OnStepStarted(SpecStep specStep) => progress.OnStepStarted(specStep);

    public void OnStepFinished(SpecStep specStep, StepOutcome outcome) => progress.OnStepFinished(specStep, outcome);

    public void OnMessage(string message) => progress.OnMessage(message);
}
