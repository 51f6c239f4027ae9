using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// One request for one device of several candidates, following etcd's mutex pattern (client/v3/concurrency): the
/// request puts one waiter key per candidate, all in one transaction, so they share one creation revision: its place
/// in every candidate's queue. A device goes to the oldest request in its queue: claiming it is a transaction on its
/// holder key that succeeds only if no one holds the device, no older waiter is queued for it and the request's own
/// waiter key is still there; it creates the holder key (bound to the run's lease) and removes the request's waiter
/// keys from every queue. A request that cannot claim watches the leases' keys for deletions (a release, an expiry, an
/// older waiter leaving) instead of polling, keeps track of what they mean for its candidates, and reads again only
/// when one of them may have become its to claim: free, with no older waiter left (etcd's recipe of waiting for the
/// predecessor's deletion, for every candidate's queue). So a hand-over wakes the next request in line, not every one.
/// </summary>
internal sealed class EtcdAcquisition(EtcdConnection connection, EtcdSession session, IReadOnlyList<string> candidates, byte[] holder, long request) : IDisposable
{
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WatchConfirmTimeout = TimeSpan.FromSeconds(3);
    private EtcdStream? _watch;
    private CancellationTokenSource? _watchScope;

    /// <summary>The creation revision of the request's waiter keys: its place in the queues.</summary>
    public long Revision { get; private set; }

    public IReadOnlyList<string> Candidates { get; } = candidates;

    /// <summary>Queues the request on every candidate (once, even when retried after a lost answer).</summary>
    public async Task EnqueueAsync(CancellationToken cancellationToken)
    {
        var first = EtcdKeys.Waiter(Candidates[0], session.Id, request);
        var enqueue = EtcdMessages.Txn(
            [EtcdMessages.CreatedAt(first, 0)],
            Candidates.Select(device => EtcdMessages.PutOp(EtcdKeys.Waiter(device, session.Id, request), holder, session.Id)),
            [EtcdMessages.RangeOp(first)]);
        var response = await connection.TxnAsync("queueing for a device", enqueue, cancellationToken).ConfigureAwait(false);
        Revision = EtcdMessages.Succeeded(response) ? EtcdMessages.Revision(response)
            : EtcdMessages.RangeAnswer(response, 0) is [var queued, ..] ? queued.CreateRevision
            : throw new LeaseStoreException($"{connection.Describe()} neither queued the request nor has its place in the queue; try again.");
    }

    /// <summary>The candidates' holders and queues now.</summary>
    public async Task<EtcdQueueState> ReadAsync(CancellationToken cancellationToken)
    {
        var reads = new List<JsonObject> { EtcdMessages.RangeOp(EtcdKeys.Waiter(Candidates[0], session.Id, request), keysOnly: true) };
        foreach (var device in Candidates)
        {
            var queue = EtcdKeys.WaitersPrefix(device);
            reads.Add(EtcdMessages.RangeOp(EtcdKeys.Holder(device)));
            reads.Add(EtcdMessages.RangeOp(queue, EtcdKeys.RangeEnd(queue), keysOnly: true, byCreation: true));
        }

        var response = await connection.TxnAsync("reading who holds and waits for the devices", EtcdMessages.Txn([], reads), cancellationToken).ConfigureAwait(false);
        var state = new EtcdQueueState(EtcdMessages.Revision(response), EtcdMessages.RangeAnswer(response, 0).Count > 0);
        for (var i = 0; i < Candidates.Count; i++)
        {
            state.Holders[Candidates[i]] = EtcdMessages.RangeAnswer(response, 1 + (2 * i)) is [var held, ..] ? held : null;
            state.Waiters[Candidates[i]] = EtcdMessages.RangeAnswer(response, 2 + (2 * i));
        }

        return state;
    }

    /// <summary>Claims <paramref name="device"/>: the holder key's creation revision, or null when someone was first.</summary>
    public async Task<long?> TryClaimAsync(string device, CancellationToken cancellationToken)
    {
        var key = EtcdKeys.Holder(device);
        var queue = EtcdKeys.WaitersPrefix(device);
        var claim = EtcdMessages.Txn(
            [
                // Nobody holds the device.
                EtcdMessages.CreatedAt(key, 0),
                // No waiter queued before this request (every waiter key of the device was created at or after it).
                EtcdMessages.CreatedAfter(queue, EtcdKeys.RangeEnd(queue), Revision - 1),
                // The request is still queued (its lease lives).
                EtcdMessages.CreatedAt(EtcdKeys.Waiter(device, session.Id, request), Revision),
            ],
            [
                EtcdMessages.PutOp(key, holder, session.Id),
                .. Candidates.Select(candidate => EtcdMessages.DeleteOp(EtcdKeys.Waiter(candidate, session.Id, request))),
            ],
            [EtcdMessages.RangeOp(key)]);
        var response = await connection.TxnAsync($"claiming device '{device}'", claim, cancellationToken).ConfigureAwait(false);
        if (EtcdMessages.Succeeded(response))
        {
            return EtcdMessages.Revision(response);
        }

        // A claim that was applied although its answer was lost (and retried) finds its own holder key.
        return EtcdMessages.RangeAnswer(response, 0) is [var current, ..] && current.Lease == session.Id && holder.AsSpan().SequenceEqual(current.Value)
            ? current.CreateRevision
            : null;
    }

    /// <summary>Claims the first of <paramref name="devices"/> that is this request's to claim: the device and its holder
    /// key's creation revision, or null when none was.</summary>
    public async Task<(string Device, long HolderRevision)?> TryClaimFirstAsync(IEnumerable<string> devices, CancellationToken cancellationToken)
    {
        foreach (var device in devices)
        {
            if (await TryClaimAsync(device, cancellationToken).ConfigureAwait(false) is { } revision)
            {
                return (device, revision);
            }
        }

        return null;
    }

    /// <summary>Whether the watch on the candidates' keys is open (it must be before the state is read that a wait relies on).</summary>
    public bool IsWatching => _watch is not null;

    /// <summary>
    /// Opens a watch on every key under the store's root, for deletions from now on (a release, an expiry, an older
    /// waiter leaving), and waits until etcd confirms it. Read the state after this: every deletion after that read
    /// arrives on the watch. (A watch that starts at an older revision would make etcd catch it up in its 100 ms
    /// background loop, which slowed every hand-over.) One watch, not one per candidate's holder key and queue: etcd's
    /// JSON gateway reads a stream's requests while it already answers, and over HTTP/1.1 the server may drop the
    /// requests it had not read by its first answer (then those watches never start), so a stream carries one request.
    /// </summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        _watchScope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Lost);

        // A stream that lands on a member going down may never confirm: give up on it, read again, watch anew.
        using var confirm = CancellationTokenSource.CreateLinkedTokenSource(_watchScope.Token);
        confirm.CancelAfter(WatchConfirmTimeout);
        try
        {
            var root = EtcdKeys.RootPrefix;
            _watch = await connection.WatchAsync(EtcdMessages.WatchDeletions(root, EtcdKeys.RangeEnd(root)), confirm.Token).ConfigureAwait(false);
            // Deletions that come before the confirmation are in the state read after it.
            var created = false;
            while (!created && await _watch.ReadAsync(confirm.Token).ConfigureAwait(false) is { } response)
            {
                created = IsTrue(response["created"]);
            }

            if (!created)
            {
                StopWatching();
            }
        }
        catch (Exception e) when (e is EtcdCallException or OperationCanceledException)
        {
            // Refused, broken, no leader, or not confirmed in time: read again and watch anew (unless the caller gave up).
            StopWatching();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Waits until deletions that arrive on the watch may have made candidates this request's to claim (free, and no
    /// older waiter left in its queue, from <paramref name="state"/> on) and returns them; returns none when the watch
    /// breaks (a member went away: the caller reads again and watches anew), <paramref name="limit"/> passes, or the
    /// run's lease is lost; throws when <paramref name="cancellationToken"/> is cancelled. A new holder is not seen (the
    /// watch is for deletions): a claim then fails and the caller reads again.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForChangeAsync(EtcdQueueState state, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (_watch is not { } watch)
        {
            return [];
        }

        var held = Candidates.Where(d => !state.IsFree(d)).ToHashSet(StringComparer.Ordinal);
        var ahead = Candidates.ToDictionary(
            d => d, d => state.WaitersAhead(d, Revision).Select(kv => Encoding.UTF8.GetString(kv.Key)).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_watchScope!.Token);
        wait.CancelAfter(limit);
        try
        {
            while (await watch.ReadAsync(wait.Token).ConfigureAwait(false) is { } response)
            {
                foreach (var key in DeletedKeys(response))
                {
                    if (EtcdKeys.DeviceOfHolder(key) is { } released)
                    {
                        held.Remove(released);
                    }
                    else if (EtcdKeys.DeviceOfWaiter(key) is { } device && ahead.TryGetValue(device, out var older))
                    {
                        older.Remove(Encoding.UTF8.GetString(key));
                    }
                }

                if (Candidates.Where(d => !held.Contains(d) && ahead[d].Count == 0).ToList() is { Count: > 0 } claimable)
                {
                    return claimable;
                }

                if (IsTrue(response["canceled"]))
                {
                    // etcd dropped the watch (compaction, no leader): watch anew.
                    break;
                }
            }

            StopWatching();
        }
        catch (Exception e) when (e is EtcdCallException or OperationCanceledException)
        {
            // The limit passed or the lease was lost (the watch is cancelled with it), or the member went away.
            StopWatching();
            cancellationToken.ThrowIfCancellationRequested();
        }

        return [];
    }

    public void Dispose() => StopWatching();

    private void StopWatching()
    {
        _watch?.Dispose();
        _watch = null;
        _watchScope?.Cancel();
        _watchScope?.Dispose();
        _watchScope = null;
    }

    /// <summary>Leaves every queue (best effort: the keys go with the run's lease anyway).</summary>
    public async Task LeaveAsync()
    {
        if (Revision == 0 || session.IsLost)
        {
            return;
        }

        var leave = EtcdMessages.Txn([], Candidates.Select(device => EtcdMessages.DeleteOp(EtcdKeys.Waiter(device, session.Id, request))));
        try
        {
            await connection.TxnAsync("leaving the queue", leave, CancellationToken.None, LeaveTimeout).ConfigureAwait(false);
        }
        catch (LeaseStoreException)
        {
        }
    }

    /// <summary>The keys <paramref name="response"/> says were deleted (the watch asks for deletions only).</summary>
    private static IEnumerable<byte[]> DeletedKeys(JsonNode response) =>
        response["events"] is JsonArray events ? events.Select(e => EtcdMessages.Bytes(e?["kv"]?["key"])).OfType<byte[]>() : [];

    private static bool IsTrue(JsonNode? node) => node?.GetValueKind() == JsonValueKind.True;
}
