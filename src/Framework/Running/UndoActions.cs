using DeviceTest.Hardware;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Framework.Running;

/// <summary>
/// What steps of a spec changed on the device and must be put back when the spec ends: a <c>network: { link: down }</c>
/// registers bringing the link up. The actions run last registered first when the run ends, however it ends
/// (all steps done, a failure, Ctrl+C), each bounded in time; an action that fails is reported as a warning.
/// </summary>
public sealed class UndoActions
{
    /// <summary>How long one action may take after a normal end.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>How long one action may take once the run was cancelled.</summary>
    public static readonly TimeSpan TimeoutAfterCancel = TimeSpan.FromSeconds(10);

    private readonly List<Entry> _entries = [];
    private readonly Lock _gate = new();

    /// <summary>The descriptions of the actions still to run, in the order they will run.</summary>
    public IReadOnlyList<string> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries.Select(e => e.Description).Reverse()];
            }
        }
    }

    /// <summary>
    /// Registers <paramref name="undo"/> under <paramref name="key"/>, replacing an action with the same key (a second
    /// <c>link: down</c> keeps one <c>link: up</c>).
    /// </summary>
    /// <param name="key">Names what is undone, e.g. "network.link".</param>
    /// <param name="description">For messages, e.g. "bring the network link up".</param>
    /// <param name="undo">The action; its token is cancelled when its time is up.</param>
    public void Register(string key, string description, Func<CancellationToken, Task> undo)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(undo);
        lock (_gate)
        {
            _entries.RemoveAll(e => e.Key == key);
            _entries.Add(new Entry(key, description, undo));
        }
    }

    /// <summary>Drops the action registered under <paramref name="key"/> (a later step put things back itself); false when there is none.</summary>
    public bool Remove(string key)
    {
        lock (_gate)
        {
            return _entries.RemoveAll(e => e.Key == key) > 0;
        }
    }

    /// <summary>Runs and forgets every action, last registered first. Never throws.</summary>
    internal async Task RunAllAsync(IDevice device, IRunObserver observer, TimeProvider clock, bool cancelled)
    {
        List<Entry> entries;
        lock (_gate)
        {
            entries = [.. _entries];
            _entries.Clear();
        }

        entries.Reverse();
        foreach (var entry in entries)
        {
            using var bounded = new CancellationTokenSource(cancelled ? TimeoutAfterCancel : Timeout, clock);
            try
            {
                await entry.Undo(bounded.Token);
            }
            catch (Exception e)
            {
                // An undo action of any step may fail in any way; the others must still run.
                var why = e is OperationCanceledException && bounded.IsCancellationRequested
                    ? $"it took longer than {DurationText.Format(cancelled ? TimeoutAfterCancel : Timeout)}"
                    : e.Message;
                observer.OnMessage($"warning: could not {entry.Description} on device '{device.Name}' at the end of the spec: {why}");
            }
        }
    }

    private sealed record Entry(string Key, string Description, Func<CancellationToken, Task> Undo);
}
