using System.Collections.Concurrent;
using TestResult = DeviceTest.Framework.Results.TestResult;
using DeviceTest.Framework.Suites;

namespace DeviceTest.Framework.Tests.Suites;

internal sealed class RecordingObserver : ISuiteObserver
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentQueue<TestResult> _results = new();

    /// <summary>"start X" and "end X" in the order they happened.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    public IReadOnlyList<TestResult> Results => [.. _results];

    public Action<TestResult>? OnFinished { get; init; }

    public Action<SuiteTestStarted>? OnStarted { get; init; }

    public void OnTestStarted(SuiteTestStarted started)
    {
        _events.Enqueue("start " + started.Test.MethodName);
        OnStarted?.Invoke(started);
    }

    public Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken)
    {
        _events.Enqueue("end " + result.TestId[(result.TestId.LastIndexOf('.') + 1)..]);
        _results.Enqueue(result);
        OnFinished?.Invoke(result);
        return Task.CompletedTask;
    }
}
