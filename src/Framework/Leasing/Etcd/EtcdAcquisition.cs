using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// One request for one device of several candidates, following etcd's mutex pattern (client/v3/concurrency): the
/// request puts one waiter key per candidate, all in one transaction, so they share one creation revision: its place
/// in every candidate's queue. A device goes to the oldest request in its queue: claiming it is a transaction on its
/// holder key that succeeds only if no one holds the device, no older waiter is queued for it and the request's own
/// waiter key is still there; it creates the holder key (bound to the run's lease) and removes the request's waiter
/// keys from every queue. A request that cannot claim watches its candidates' keys for deletions (a release, an
/// expiry, an older waiter leaving) instead of polling, and reads again after each.
/// </summary>
internal sealed class EtcdAcquisition(EtcdConnection connection, EtcdSession session, IReadOnlyList<string> candidates, ByteString holder, long request) : IDisposable
{
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WatchConfirmTimeout = TimeSpan.FromSeconds(3);
    private AsyncDuplexStreamingCall<WatchRequest, WatchResponse>? _watch;
    private CancellationTokenSource? _watchScope;
    private bool _changed;

    /// <summary>The creation revision of the request's waiter keys: its place in the queues.</summary>
    public long Revision { get; private set; }

    public IReadOnlyList<string> Candidates { get; } = candidates;

    /// <summary>Queues the request on every candidate (once, even when retried after a lost answer).</summary>
    public async Task EnqueueAsync(CancellationToken cancellationToken)
    {
        var first = EtcdKeys.Waiter(Candidates[0], session.Id, request);
        var enqueue = new TxnRequest
        {
            Compare = { new Compare { Key = first, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 } },
            Failure = { new RequestOp { RequestRange = new RangeRequest { Key = first } } },
        };
        foreach (var device in Candidates)
        {
            enqueue.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdKeys.Waiter(device, session.Id, request), Value = holder, Lease = session.Id } });
        }

        var response = await CallAsync("queueing for a device", enqueue, cancellationToken).ConfigureAwait(false);
        Revision = response.Succeeded ? response.Header.Revision : response.Responses[0].ResponseRange.Kvs[0].CreateRevision;
    }

    /// <summary>The candidates' holders and queues now.</summary>
    public async Task<EtcdQueueState> ReadAsync(CancellationToken cancellationToken)
    {
        var read = new TxnRequest { Success = { new RequestOp { RequestRange = new RangeRequest { Key = EtcdKeys.Waiter(Candidates[0], session.Id, request), KeysOnly = true } } } };
        foreach (var device in Candidates)
        {
            var prefix = EtcdKeys.WaitersPrefix(device);
            read.Success.Add(new RequestOp { RequestRange = new RangeRequest { Key = EtcdKeys.Holder(device) } });
            read.Success.Add(new RequestOp
            {
                RequestRange = new RangeRequest
                {
                    Key = prefix,
                    RangeEnd = EtcdKeys.RangeEnd(prefix),
                    KeysOnly = true,
                    SortTarget = RangeRequest.Types.SortTarget.Create,
                    SortOrder = RangeRequest.Types.SortOrder.Ascend,
                },
            });
        }

        var response = await CallAsync("reading who holds and waits for the devices", read, cancellationToken).ConfigureAwait(false);
        var state = new EtcdQueueState(response.Header.Revision, response.Responses[0].ResponseRange.Kvs.Count > 0);
        for (var i = 0; i < Candidates.Count; i++)
        {
            state.Holders[Candidates[i]] = response.Responses[1 + (2 * i)].ResponseRange.Kvs.FirstOrDefault();
            state.Waiters[Candidates[i]] = [.. response.Responses[2 + (2 * i)].ResponseRange.Kvs.Select(kv => kv.CreateRevision)];
        }

        return state;
    }

    /// <summary>Claims <paramref name="device"/>: the holder key's creation revision, or null when someone was first.</summary>
    public async Task<long?> TryClaimAsync(string device, CancellationToken cancellationToken)
    {
        var key = EtcdKeys.Holder(device);
        var queue = EtcdKeys.WaitersPrefix(device);
        var claim = new TxnRequest
        {
            Compare =
            {
                // Nobody holds the device.
                new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 },
                // No waiter queued before this request (every waiter key of the device was created at or after it).
                new Compare
                {
                    Key = queue, RangeEnd = EtcdKeys.RangeEnd(queue), Target = Compare.Types.CompareTarget.Create,
                    Result = Compare.Types.CompareResult.Greater, CreateRevision = Revision - 1,
                },
                // The request is still queued (its lease lives).
                new Compare { Key = EtcdKeys.Waiter(device, session.Id, request), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = Revision },
            },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = key, Value = holder, Lease = session.Id } } },
            Failure = { new RequestOp { RequestRange = new RangeRequest { Key = key } } },
        };
        foreach (var candidate in Candidates)
        {
            claim.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Waiter(candidate, session.Id, request) } });
        }

        var response = await CallAsync($"claiming device '{device}'", claim, cancellationToken).ConfigureAwait(false);
        if (response.Succeeded)
        {
            return response.Header.Revision;
        }

        // A claim that was applied although its answer was lost (and retried) finds its own holder key.
        return response.Responses[0].ResponseRange.Kvs.FirstOrDefault() is { } current && current.Lease == session.Id && current.Value == holder
            ? current.CreateRevision
            : null;
    }

    /// <summary>Whether the watch on the candidates' keys is open (it must be before the state is read that a wait relies on).</summary>
    public bool IsWatching => _watch is not null;

    /// <summary>
    /// Opens one watch stream on every candidate's holder key and waiter keys, for deletions from now on (a release,
    /// an expiry, an older waiter leaving), and waits until etcd confirms it. Read the state after this: every deletion
    /// after that read arrives on the watch. (A watch that starts at an older revision would make etcd catch it up in
    /// its 100 ms background loop, which slowed every hand-over.)
    /// </summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        _watchScope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Lost);
        _watch = connection.Watch.Watch(EtcdConnection.RequireLeader, cancellationToken: _watchScope.Token);

        // A stream that lands on a member going down may never confirm: give up on it, read again, watch anew.
        using var confirm = CancellationTokenSource.CreateLinkedTokenSource(_watchScope.Token);
        confirm.CancelAfter(WatchConfirmTimeout);
        try
        {
            foreach (var device in Candidates)
            {
                var queue = EtcdKeys.WaitersPrefix(device);
                foreach (var (key, end) in new[] { (EtcdKeys.Holder(device), ByteString.Empty), (queue, EtcdKeys.RangeEnd(queue)) })
                {
                    await _watch.RequestStream.WriteAsync(
                        new WatchRequest { CreateRequest = new WatchCreateRequest { Key = key, RangeEnd = end, Filters = { WatchCreateRequest.Types.FilterType.Noput } } },
                        confirm.Token).ConfigureAwait(false);
                }
            }

            var created = 0;
            while (created < 2 * Candidates.Count && await _watch.ResponseStream.MoveNext(confirm.Token).ConfigureAwait(false))
            {
                var response = _watch.ResponseStream.Current;
                created += response.Created ? 1 : 0;
                _changed |= response.Events.Count > 0 || response.Canceled;
            }

            if (created < 2 * Candidates.Count)
            {
                StopWatching();
            }
        }
        catch (Exception e) when (IsBrokenWatch(e, cancellationToken))
        {
            StopWatching();
        }
        catch (RpcException e)
        {
            StopWatching();
            throw new OperationCanceledException(e.Status.Detail, e, cancellationToken);
        }
    }

    /// <summary>
    /// Waits until a deletion arrives on the watch, the watch breaks (a member went away: the caller reads again and
    /// watches anew), <paramref name="limit"/> passes, or the run's lease is lost; throws when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task WaitForChangeAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        if (_changed || _watch is not { } watch)
        {
            _changed = false;
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_watchScope!.Token);
        wait.CancelAfter(limit);
        try
        {
            while (await watch.ResponseStream.MoveNext(wait.Token).ConfigureAwait(false))
            {
                var response = watch.ResponseStream.Current;
                if (response.Canceled || response.Events.Count > 0)
                {
                    return;
                }
            }

            StopWatching();
        }
        catch (Exception e) when (IsBrokenWatch(e, cancellationToken))
        {
            // The limit passed or the lease was lost (the watch is cancelled with it), or the member went away.
            StopWatching();
        }
        catch (RpcException e)
        {
            // gRPC's retrying calls report a cancellation as a status, not as OperationCanceledException.
            StopWatching();
            throw new OperationCanceledException(e.Status.Detail, e, cancellationToken);
        }
    }

    public void Dispose() => StopWatching();

    private static bool IsBrokenWatch(Exception e, CancellationToken cancellationToken) =>
        e is RpcException or IOException or InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested;

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

        var leave = new TxnRequest();
        foreach (var device in Candidates)
        {
            leave.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Waiter(device, session.Id, request) } });
        }

        try
        {
            await connection.CallAsync("leaving the queue", options => connection.KV.TxnAsync(leave, options), CancellationToken.None, LeaveTimeout).ConfigureAwait(false);
        }
        catch (LeaseStoreException)
        {
        }
    }

    private Task<TxnResponse> CallAsync(string what, TxnRequest txn, CancellationToken cancellationToken) =>
        connection.CallAsync(what, options => connection.KV.TxnAsync(txn, options), cancellationToken);
}
