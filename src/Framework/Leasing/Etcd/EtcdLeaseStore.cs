using System.Diagnostics;
using System.Text.Json;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// Leases in etcd, shared by every lab host and CI runner that names the same cluster. The run has one etcd lease
/// (<see cref="EtcdSession"/>), granted at its first request and revoked when the store is disposed; a run that
/// dies frees its devices when that lease expires. Requests queue first come, first served
/// (<see cref="EtcdAcquisition"/>): a freed device goes to the oldest request that may use it. A request for
/// several devices (a pool, tags) holds one place in every candidate's queue and takes the first of them that is free
/// while it is first in that device's queue. When the run's lease is lost, every device it holds is lost
/// (<see cref="IDeviceLease.Lost"/>) and the next request starts a new lease.
/// </summary>
public sealed class EtcdLeaseStore : ILeaseStore
{
    /// <summary>A request waits on a watch, and looks again at least this often (a safety net, not polling).</summary>
    private static readonly TimeSpan LookAgain = TimeSpan.FromSeconds(30);

    /// <summary>etcd allows 128 operations in a transaction; a request puts one key per candidate.</summary>
    private const int MostCandidates = 60;

    private readonly EtcdConnection _connection;
    private readonly SemaphoreSlim _sessionGate = new(1, 1);
    private EtcdSession? _session;
    private long _requests;

    public EtcdLeaseStore(EtcdLeaseOptions options)
        : this(options, TimeProvider.System)
    {
    }

    public EtcdLeaseStore(EtcdLeaseOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _connection = new EtcdConnection(options, time);
    }

    public string Location => _connection.Describe();

    private TimeProvider Time => _connection.Time;

    public async Task<IDeviceLease> AcquireAsync(
        IReadOnlyList<string> candidates, Action<string> inform, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(inform);
        var devices = candidates.Distinct(StringComparer.Ordinal).ToList();
        ArgumentOutOfRangeException.ThrowIfZero(devices.Count);
        if (devices.Count > MostCandidates)
        {
            throw new LeaseStoreException($"{Location}: a request may name at most {MostCandidates} devices, not {devices.Count}; narrow the pool (<DeviceTest><Tags>).");
        }

        var started = Time.GetTimestamp();
        var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
        var holder = LeaseHolder.Current(Time);
        var value = LeaseHolderJson.Write(holder);
        using var request = new EtcdAcquisition(_connection, session, devices, value, Interlocked.Increment(ref _requests));
        var told = false;
        long? claimed = null;
        string? device = null;
        try
        {
            await request.EnqueueAsync(cancellationToken).ConfigureAwait(false);
            while (claimed is null)
            {
                var state = await request.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (!state.StillQueued || session.IsLost)
                {
                    throw LostWhileWaiting(session);
                }

                if (await request.TryClaimFirstAsync(devices.Where(d => state.IsFree(d) && state.Ahead(d, request.Revision) == 0), cancellationToken)
                    .ConfigureAwait(false) is { } won)
                {
                    (device, claimed) = won;
                    break;
                }

                if (!request.IsWatching)
                {
                    // Watch first, then read again: no release between the read and the wait goes unseen.
                    await request.WatchAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var waited = Time.GetElapsedTime(started);
                if (timeout is { } limit && waited >= limit)
                {
                    throw new TimeoutException(
                        $"No device was free within {limit.TotalSeconds:0} s: {Describe(state, request.Revision)} ({Location}). " +
                        "Wait for the other runs to end, or raise <DeviceTest><LeaseTimeout> in the runsettings (--lease-timeout).");
                }

                if (!told)
                {
                    told = true;
                    inform($"DeviceTest: waiting for {(devices.Count == 1 ? "device" : "a device of")} {Describe(state, request.Revision)} ({Location}).");
                }

                var wait = timeout is { } total && total - waited < LookAgain ? total - waited : LookAgain;
                // Woken for a device that may be this request's now: claim it at once (the claim checks); else read again.
                var claimable = await request.WaitForChangeAsync(state, wait, cancellationToken).ConfigureAwait(false);
                if (await request.TryClaimFirstAsync(claimable, cancellationToken).ConfigureAwait(false) is { } next)
                {
                    (device, claimed) = next;
                }
            }
        }
        catch (LeaseStoreException) when (session.IsLost)
        {
            // etcd refused a key bound to the lost lease ("requested lease not found"): say what happened.
            throw LostWhileWaiting(session);
        }
        finally
        {
            if (claimed is null)
            {
                await request.LeaveAsync().ConfigureAwait(false);
            }
        }

        if (told)
        {
            inform($"DeviceTest: got device '{device}' after waiting {Time.GetElapsedTime(started).TotalSeconds:0} s.");
        }

        return new EtcdDeviceLease(device!, claimed.Value, session, _connection);
    }

    public async Task<IReadOnlyList<DeviceLeaseState>> ListAsync(CancellationToken cancellationToken)
    {
        var prefix = EtcdKeys.RootPrefix;
        var response = await _connection.RangeAsync(
            "listing the leases",
            EtcdMessages.Range(prefix, EtcdKeys.RangeEnd(prefix), byCreation: true),
            cancellationToken).ConfigureAwait(false);
        var holders = new Dictionary<string, LeaseHolder>(StringComparer.Ordinal);
        var waiters = new Dictionary<string, List<LeaseHolder>>(StringComparer.Ordinal);
        foreach (var kv in EtcdMessages.KeyValues(response).OrderBy(kv => kv.CreateRevision))
        {
            if (EtcdKeys.DeviceOfHolder(kv.Key) is { } held)
            {
                holders[held] = Parse(kv);
            }
            else if (EtcdKeys.DeviceOfWaiter(kv.Key) is { } waited)
            {
                (waiters.TryGetValue(waited, out var queue) ? queue : waiters[waited] = []).Add(Parse(kv));
            }
        }

        return [.. holders.Keys.Union(waiters.Keys).Order(StringComparer.Ordinal).Select(name => new DeviceLeaseState(
            name, holders.GetValueOrDefault(name), waiters.TryGetValue(name, out var queue) ? queue : []))];
    }

    public async Task<LeaseRelease> ReleaseAsync(string deviceName, bool force, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceName);
        var response = await _connection.RangeAsync(
            $"reading who holds device '{deviceName}'", EtcdMessages.Range(EtcdKeys.Holder(deviceName)), cancellationToken).ConfigureAwait(false);
        if (EtcdMessages.KeyValues(response) is not [var kv, ..])
        {
            return new LeaseRelease(true, $"device '{deviceName}' is not held ({Location}).");
        }

        var holder = Parse(kv);
        var who = holder.Describe(Time.GetUtcNow());
        var deadHere = holder.Host == Environment.MachineName && !ProcessRuns(holder.ProcessId);
        if (!force && !deadHere)
        {
            return new LeaseRelease(
                false,
                $"device '{deviceName}' is held by {who}, and that run keeps its etcd lease alive: it is live. A run that dies " +
                $"frees its devices by itself within its lease's time to live. To take the device anyway, add --force: that run " +
                "loses its lease on every device it holds, stops touching them and reports it.");
        }

        await _connection.RevokeAsync($"revoking the lease of {who}", kv.Lease, cancellationToken).ConfigureAwait(false);
        return new LeaseRelease(
            true,
            deadHere
                ? $"released device '{deviceName}': its holder, process {holder.ProcessId} on this host, had ended."
                : $"released device '{deviceName}': revoked the lease of {who}; that run loses every device it held and stops.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        _sessionGate.Dispose();
        _connection.Dispose();
    }

    /// <summary>The run's lease: the current one, or a new one when there is none yet or it was lost.</summary>
    private async Task<EtcdSession> SessionAsync(CancellationToken cancellationToken)
    {
        await _sessionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_session is { IsLost: false } live)
            {
                return live;
            }

            _session = await EtcdSession.StartAsync(_connection, cancellationToken).ConfigureAwait(false);
            return _session;
        }
        finally
        {
            _sessionGate.Release();
        }
    }

    private LeaseStoreException LostWhileWaiting(EtcdSession session) =>
        new($"the run's lease in {Location} was lost while waiting for a device: {session.LostReason}.");

    private string Describe(EtcdQueueState state, long revision)
    {
        var now = Time.GetUtcNow();
        return string.Join("; ", state.Holders.Keys.Select(device =>
        {
            var ahead = state.Ahead(device, revision);
            var queue = ahead == 0 ? string.Empty : $", {ahead} {(ahead == 1 ? "run" : "runs")} waiting before this one";
            return state.Holders[device] is { } kv
                ? $"'{device}' held by {Parse(kv).Describe(now)}{queue}"
                : $"'{device}' free{queue}";
        }));
    }

    private LeaseHolder Parse(EtcdKeyValue kv)
    {
        try
        {
            if (kv.Value is { } value && LeaseHolderJson.Read(value) is { } holder)
            {
                return holder;
            }
        }
        catch (JsonException)
        {
        }

        return new LeaseHolder { Host = "?", ProcessId = 0, User = "?", Since = Time.GetUtcNow(), Program = "unreadable lease value" };
    }

    private static bool ProcessRuns(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
