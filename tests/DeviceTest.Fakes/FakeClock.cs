using Microsoft.Extensions.Time.Testing;

namespace DeviceTest.Fakes;

/// <summary>
/// A fake clock for the hardware fakes and the code under test (<see cref="TimeProvider"/>): time moves only when a
/// test moves it, so a two-minute boot timeout passes in microseconds and every duration in a message is exact.
/// </summary>
/// <remarks>
/// The fakes complete their tasks inline (no thread hops), so everything that can happen at a moment has happened when
/// <see cref="FakeTimeProvider.Advance(TimeSpan)"/> returns: <see cref="RunAsync(Task, TimeSpan?)"/> can move time in
/// steps until the operation is done, deterministically. The fakes change their state in one piece
/// (<see cref="BeginChange"/>) and only then wake the code that waits on them (<see cref="Deliver"/>), one at a time,
/// so that code never resumes in the middle of a fake's change (QEMU half dead, a console closed on the wrong QEMU).
/// </remarks>
public sealed class FakeClock : FakeTimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _events = new();
    private readonly Queue<Action> _pending = new();
    private int _busy;

    public FakeClock()
        : base(Epoch)
    {
    }

    /// <summary>How far <see cref="RunAsync(Task, TimeSpan?)"/> moves time per step. Default 100 ms.</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Fake time since the clock was made.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Epoch;

    /// <summary>Moves time step by step until <paramref name="operation"/> has finished, then returns its result.</summary>
    /// <param name="operation">Started by the test just before (it ran until its first wait).</param>
    /// <param name="limit">At most this much fake time (default 1 h); more fails the test with <see cref="TimeoutException"/>.</param>
    public async Task<T> RunAsync<T>(Task<T> operation, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await RunAsync((Task)operation, limit);
        return await operation;
    }

    /// <inheritdoc cref="RunAsync{T}(Task{T}, TimeSpan?)"/>
    public async Task RunAsync(Task operation, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var end = GetUtcNow() + (limit ?? TimeSpan.FromHours(1));
        while (!operation.IsCompleted)
        {
            if (GetUtcNow() >= end)
            {
                throw new TimeoutException($"the operation still ran after {limit ?? TimeSpan.FromHours(1)} of fake time");
            }

            Advance(Step);
        }

        await operation;
    }

    /// <summary>Moves time until <paramref name="condition"/> holds (checked after every step), at most <paramref name="limit"/>.</summary>
    public void AdvanceUntil(Func<bool> condition, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var end = GetUtcNow() + limit;
        while (!condition())
        {
            if (GetUtcNow() >= end)
            {
                throw new TimeoutException($"the condition did not hold within {limit} of fake time");
            }

            Advance(Step);
        }
    }

    /// <summary>
    /// Runs <paramref name="wake"/> (completing what code under test awaits) once no fake is in the middle of a change
    /// and no other wake-up runs; at once when that is already so.
    /// </summary>
    public void Deliver(Action wake)
    {
        ArgumentNullException.ThrowIfNull(wake);
        lock (_events)
        {
            _pending.Enqueue(wake);
        }

        DeliverPending();
    }

    /// <summary>Starts a change of a fake's state: wake-ups wait until it ends (dispose).</summary>
    public IDisposable BeginChange()
    {
        lock (_events)
        {
            _busy++;
        }

        return new Change(this);
    }

    private void EndChange()
    {
        lock (_events)
        {
            _busy--;
        }

        DeliverPending();
    }

    private void DeliverPending()
    {
        while (true)
        {
            Action? next;
            lock (_events)
            {
                if (_busy > 0 || !_pending.TryDequeue(out next))
                {
                    return;
                }

                _busy++;
            }

            try
            {
                next();
            }
            finally
            {
                lock (_events)
                {
                    _busy--;
                }
            }
        }
    }

    private sealed class Change(FakeClock clock) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                clock.EndChange();
            }
        }
    }
}
