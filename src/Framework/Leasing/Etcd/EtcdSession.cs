using System.Net.Http;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// The run's one etcd lease, which every key of the run (its holds and its places in queues) is bound to. It is kept
/// alive every third of its time to live (on another member when one does not answer within that third). It is <see cref="Lost"/> when etcd says it ended (expired, or revoked by an operator) or when no
/// keep-alive was answered for its time to live, measured on this machine's monotonic clock from when the last
/// answered keep-alive was sent, less a margin: etcd, which counts from when it received that keep-alive, cannot
/// have let it expire before then. A process that was paused sees the loss as soon as it checks
/// (<see cref="ThrowIfLost"/>), before its timers run.
/// </summary>
internal sealed class EtcdSession : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RevokeTimeout = TimeSpan.FromSeconds(3);

    private readonly EtcdConnection _connection;
    private readonly TimeProvider _time;
    private readonly TimeSpan _margin;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly ITimer _watchdog;
    private long _expiresAt;
    private Task _keepAlive = Task.CompletedTask;
    private string? _lostReason;
    private bool _disposed;

    private EtcdSession(EtcdConnection connection, long id, TimeSpan timeToLive, long sentAt)
    {
        _connection = connection;
        _time = connection.Time;
        Id = id;
        TimeToLive = timeToLive;
        _margin = timeToLive / 10;
        _expiresAt = sentAt + ToTicks(timeToLive - _margin);
        _watchdog = _time.CreateTimer(_ => OnWatchdog(), null, timeToLive - _margin, Timeout.InfiniteTimeSpan);
    }

    public long Id { get; }

    public TimeSpan TimeToLive { get; }

    public CancellationToken Lost => _lost.Token;

    public string? LostReason
    {
        get
        {
            lock (_gate)
            {
                return _lostReason;
            }
        }
    }

    /// <summary>Whether the lease is lost (checking the clock now).</summary>
    public bool IsLost
    {
        get
        {
            CheckClock();
            return _lost.IsCancellationRequested;
        }
    }

    /// <summary>Grants the lease and starts keeping it alive.</summary>
    /// <exception cref="LeaseStoreException">etcd did not grant it.</exception>
    public static async Task<EtcdSession> StartAsync(EtcdConnection connection, CancellationToken cancellationToken)
    {
        var ttl = connection.Options.TimeToLive;
        var sentAt = connection.Time.GetTimestamp();
        var granted = await connection.GrantAsync("granting the run's lease", ttl, cancellationToken).ConfigureAwait(false);
        var id = EtcdMessages.Long(granted["ID"]);
        if (granted["error"]?.GetValue<string>() is { Length: > 0 } || id == 0)
        {
            throw new LeaseStoreException($"{connection.Describe()} did not grant a lease: {granted["error"]?.GetValue<string>() ?? "its answer has no lease"}");
        }

        var session = new EtcdSession(connection, id, TimeSpan.FromSeconds(EtcdMessages.Long(granted["TTL"])), sentAt);
        session._keepAlive = Task.Run(session.KeepAliveAsync, CancellationToken.None);
        return session;
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> on <see cref="Lost"/> when the lease is lost.</summary>
    public void ThrowIfLost()
    {
        CheckClock();
        _lost.Token.ThrowIfCancellationRequested();
    }

    /// <summary>Stops keeping the lease alive and revokes it, which frees every key of the run at once (best effort:
    /// when etcd cannot be reached the lease simply expires).</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _keepAlive.ConfigureAwait(false);
        await _watchdog.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _connection.RevokeAsync("revoking the run's lease", Id, CancellationToken.None, RevokeTimeout).ConfigureAwait(false);
        }
        catch (LeaseStoreException)
        {
            // Expired already (not found), or etcd is away: the lease ends by itself within its time to live.
        }

        MarkLost("the run ended and released it");
        _stop.Dispose();
    }

    private async Task KeepAliveAsync()
    {
        var interval = TimeToLive / 3;
        while (!_stop.IsCancellationRequested && !_lost.IsCancellationRequested)
        {
            var sentAt = _time.GetTimestamp();
            TimeSpan? timeToLive = null;
            try
            {
                // An answer must come within a third of the time to live, else the next member is asked.
                using var answer = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                answer.CancelAfter(interval);
                timeToLive = await _connection.KeepAliveAsync(Id, answer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is EtcdCallException or OperationCanceledException or IOException or HttpRequestException)
            {
                // The member went down, lost its leader, or did not answer in time: ask again (the next member).
            }

            if (timeToLive is { } left && left <= TimeSpan.Zero)
            {
                MarkLost("etcd ended it (it expired, or an operator revoked it with 'devicetest leases --release --force')");
                return;
            }

            if (timeToLive is { } renewed)
            {
                Renewed(sentAt, renewed);
            }

            try
            {
                await Task.Delay(timeToLive is null ? RetryDelay : interval, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Renewed(long sentAt, TimeSpan timeToLive)
    {
        lock (_gate)
        {
            if (_lost.IsCancellationRequested || _disposed)
            {
                return;
            }

            _expiresAt = sentAt + ToTicks(timeToLive - _margin);
            var left = _time.GetElapsedTime(_time.GetTimestamp(), _expiresAt);
            _watchdog.Change(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnWatchdog()
    {
        CheckClock();
        lock (_gate)
        {
            // A timer may fire a little early: wait for the rest.
            var left = _time.GetElapsedTime(_time.GetTimestamp(), _expiresAt);
            if (!_lost.IsCancellationRequested && !_disposed && left > TimeSpan.Zero)
            {
                _watchdog.Change(left, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void CheckClock()
    {
        bool expired;
        lock (_gate)
        {
            expired = !_lost.IsCancellationRequested && _time.GetTimestamp() >= _expiresAt;
        }

        if (expired)
        {
            MarkLost($"no keep-alive reached {_connection.Describe()} within its time to live ({TimeToLive.TotalSeconds:0} s): " +
                "etcd is out of reach or has no quorum, or this process was paused");
        }
    }

    private void MarkLost(string reason)
    {
        lock (_gate)
        {
            if (_lost.IsCancellationRequested)
            {
                return;
            }

            _lostReason = reason;
        }

        try
        {
            _lost.Cancel();
        }
        catch (AggregateException)
        {
            // A callback registered on Lost threw; the lease is lost all the same.
        }
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
