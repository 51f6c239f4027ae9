using DeviceTest.Hardware;
using DeviceTest.Hardware.Power;

namespace DeviceTest.Fakes;

/// <summary>A power switch that records what it was asked (<c>on</c>, <c>off</c>, <c>cycle</c>) and can be told to fail.</summary>
public sealed class FakePower : IPower
{
    private readonly Lock _gate = new();
    private readonly List<string> _actions = [];

    public FakePower(string description = "fake power")
    {
        Description = description;
    }

    public string Description { get; }

    /// <summary>Every request, in order, including those that failed.</summary>
    public IReadOnlyList<string> Actions
    {
        get
        {
            lock (_gate)
            {
                return [.. _actions];
            }
        }
    }

    /// <summary>When set, every request fails with a <see cref="PowerException"/> with this message.</summary>
    public string? Failure { get; set; }

    /// <summary>Called with "on", "off" or "cycle" after a request that worked (a <see cref="FakeBoard"/> reacts to it).</summary>
    public Action<string>? Switched { get; set; }

    public Task OnAsync(CancellationToken cancellationToken) => SwitchAsync("on", cancellationToken);

    public Task OffAsync(CancellationToken cancellationToken) => SwitchAsync("off", cancellationToken);

    public Task CycleAsync(CancellationToken cancellationToken) => SwitchAsync("cycle", cancellationToken);

    private Task SwitchAsync(string action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _actions.Add(action);
        }

        if (Failure is { } failure)
        {
            return Task.FromException(new PowerException(failure));
        }

        Switched?.Invoke(action);
        return Task.CompletedTask;
    }
}
