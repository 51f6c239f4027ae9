using System.Collections.Concurrent;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using TestResult = DeviceTest.Framework.Results.TestResult;

namespace DeviceTest.Framework.Tests.Suites;

internal sealed class RecordingObserver : IRunObserver
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentQueue<TestResult> _results = new();

    /// <summary>"start X" and "end X" in the order they happened.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    public IReadOnlyList<TestResult> Results => [.. _results];

    public Action<TestResult>? OnFinished { get; init; }

    public Action<TestStarted>? OnStarted { get; init; }

    public void OnTestStarted(TestStarted started)
    {
        _events.Enqueue("start " + MethodName(started.TestId));
        OnStarted?.Invoke(started);
    }

    public Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken)
    {
        _events.Enqueue("end " + MethodName(result.TestId));
        _results.Enqueue(result);
        OnFinished?.Invoke(result);
        return Task.CompletedTask;
    }

    public void OnStepStarted(SpecStep specStep) => _events.Enqueue("step " + specStep.Kind);

    public void OnStepFinished(SpecStep specStep, StepOutcome outcome) => _events.Enqueue("step-end " + specStep.Kind);

    public void OnMessage(string message) => _events.Enqueue("message " + message);

    private static string MethodName(string testId) => testId[(testId.LastIndexOf('.') + 1)..];
}
