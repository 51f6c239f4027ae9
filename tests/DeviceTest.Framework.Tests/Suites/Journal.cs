using System.Collections.Concurrent;

namespace DeviceTest.Framework.Tests.Suites;

/// <summary>What sample suites did, injected through SuiteRunOptions.Services; also a gate tests can release.</summary>
public sealed class Journal : IServiceProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    /// <summary>Awaited (without a token) by a sample that ignores cancellation; released by the test at its end.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(string entry) => _entries.Enqueue(entry);

    public object? GetService(Type serviceType) => serviceType == typeof(Journal) ? this : null;
}
