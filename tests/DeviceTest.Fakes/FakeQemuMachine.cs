using DeviceTest.Hardware;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Fakes;

/// <summary>
/// A QEMU machine without QEMU: starts with the guest paused, records what it was asked ("start", "cont", "stop",
/// "system_reset", "quit"), can be killed (<see cref="Kill"/>), made to fail its start or to exit during a reset.
/// </summary>
public sealed class FakeQemuMachine : IQemuMachine
{
    private readonly Lock _gate = new();
    private readonly List<string> _actions = [];
    private TaskCompletionSource _exited = NewExit(completed: true);

    private readonly FakeClock? _clock;

    /// <param name="name">The device's name.</param>
    /// <param name="clock">The fake clock whose wake-ups the machine's exit goes through (see <see cref="FakeClock.Deliver"/>).</param>
    public FakeQemuMachine(string name = "fake-qemu", FakeClock? clock = null)
    {
        Name = name;
        _clock = clock;
    }

    public string Name { get; }

    public bool IsRunning { get; private set; }

    /// <summary>True while the guest is paused (after a start, or a pause).</summary>
    public bool IsPaused { get; private set; }

    /// <summary>How many times QEMU was started.</summary>
    public int Starts { get; private set; }

    /// <summary>A process id that changes with every start (0 while QEMU does not run).</summary>
    public int ProcessId => IsRunning ? 4000 + Starts : 0;

    /// <summary>Every request, in order.</summary>
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

    /// <summary>When set, a start fails with it (e.g. the kernel is missing).</summary>
    public Exception? StartFailure { get; set; }

    /// <summary>When true, QEMU exits during the next reset, whose QMP request then fails with <see cref="IOException"/>.</summary>
    public bool ExitsOnReset { get; set; }

    /// <summary>Called with "start", "cont", "stop", "system_reset" or "exit" (a <see cref="FakeBoard"/> reacts to it).</summary>
    public Action<string>? Changed { get; set; }

    public bool IsDisposed { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var change = _clock?.BeginChange();
        Record("start");
        if (IsRunning)
        {
            return Task.CompletedTask;
        }

        if (StartFailure is { } failure)
        {
            return Task.FromException(failure);
        }

        IsRunning = true;
        IsPaused = true;
        Starts++;
        _exited = NewExit(completed: false);
        Changed?.Invoke("start");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var change = _clock?.BeginChange();
        if (IsRunning)
        {
            Record("quit");
            Exit();
        }

        return Task.CompletedTask;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _exited.Task.WaitAsync(cancellationToken);

    public Task PauseAsync(CancellationToken cancellationToken) => Qmp("stop", () => IsPaused = true, cancellationToken);

    public Task ResumeAsync(CancellationToken cancellationToken) =>
        IsPaused ? Qmp("cont", () => IsPaused = false, cancellationToken) : Qmp(null, () => { }, cancellationToken);

    public Task ResetAsync(CancellationToken cancellationToken)
    {
        using var change = _clock?.BeginChange();
        if (ExitsOnReset && IsRunning)
        {
            ExitsOnReset = false;
            Record("system_reset");
            Exit();
            return Task.FromException(new IOException("QMP: the connection closed (QEMU exited)"));
        }

        return Qmp("system_reset", () => { }, cancellationToken);
    }

    /// <summary>QEMU dies (killed, crashed): its console closes and the guest is gone.</summary>
    public void Kill()
    {
        using var change = _clock?.BeginChange();
        if (IsRunning)
        {
            Record("killed");
            Exit();
        }
    }

    public ValueTask DisposeAsync()
    {
        using var change = _clock?.BeginChange();
        if (IsRunning)
        {
            Record("quit");
            Exit();
        }

        IsDisposed = true;
        return ValueTask.CompletedTask;
    }

    private static TaskCompletionSource NewExit(bool completed)
    {
        var exit = new TaskCompletionSource();
        if (completed)
        {
            exit.SetResult();
        }

        return exit;
    }

    private Task Qmp(string? command, Action apply, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var change = _clock?.BeginChange();
        if (!IsRunning)
        {
            return Task.FromException(new InvalidOperationException($"QEMU for {Name} is not running; start it first."));
        }

        if (command is not null)
        {
            Record(command);
            apply();
            Changed?.Invoke(command);
        }

        return Task.CompletedTask;
    }

    private void Exit()
    {
        IsRunning = false;
        IsPaused = false;
        Changed?.Invoke("exit");
        var exited = _exited;
        if (_clock is null)
        {
            exited.TrySetResult();
        }
        else
        {
            _clock.Deliver(() => exited.TrySetResult());
        }
    }

    private void Record(string action)
    {
        lock (_gate)
        {
            _actions.Add(action);
        }
    }
}
