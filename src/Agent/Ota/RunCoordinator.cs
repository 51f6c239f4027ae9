namespace DeviceTest.Agent.Ota;

/// <summary>
/// One run at a time: starting a run first stops the current one and waits until it has completely ended (its
/// test process group killed, its open record completed), so runs never overlap.
/// </summary>
internal sealed class RunCoordinator : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Active? _active;

    public bool IsRunning => _active is { Task.IsCompleted: false };

    /// <summary>Stops the current run (completing its open record with <paramref name="stopReason"/>) and starts <paramref name="run"/>.</summary>
    public async Task StartAsync(AgentRun run, string stopReason)
    {
        ArgumentNullException.ThrowIfNull(run);
        await _gate.WaitAsync();
        try
        {
            await StopLockedAsync(stopReason, shutdown: false);
            run.Prepare();
            var cancellation = new CancellationTokenSource();
            _active = new Active(run, cancellation, Task.Run(() => run.RunAsync(cancellation.Token), CancellationToken.None));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the current run; true when one was running.</summary>
    public async Task<bool> StopAsync(string reason)
    {
        await _gate.WaitAsync();
        try
        {
            return await StopLockedAsync(reason, shutdown: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The agent is stopping: kill what runs but keep the run's state so that it resumes at the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await StopLockedAsync("agent stopping", shutdown: true);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> StopLockedAsync(string reason, bool shutdown)
    {
        if (_active is not { } active)
        {
            return false;
        }

        _active = null;
        var wasRunning = !active.Task.IsCompleted;
        active.Run.StopReason = reason;
        active.Run.Shutdown = shutdown;
        await active.Cancellation.CancelAsync();
        await active.Task;
        active.Cancellation.Dispose();
        return wasRunning;
    }

    private sealed record Active(AgentRun Run, CancellationTokenSource Cancellation, Task Task);
}
