using System.Collections.Concurrent;
using DeviceTest.Framework.Leasing;
using DeviceTest.Framework.Leasing.Etcd;
using DeviceTest.Lab.Etcd;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Leasing;

/// <summary>The etcd store against a real 3-member etcd cluster on loopback; each store stands for one run.</summary>
[TestClass]
public sealed class EtcdLeaseStoreTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);
    private static EtcdCluster s_cluster = null!;
    private readonly List<ILeaseStore> _stores = [];

    [ClassInitialize]
    public static async Task StartCluster(TestContext context) => s_cluster = await EtcdCluster.StartAsync();

    [ClassCleanup]
    public static async Task StopCluster()
    {
        if (s_cluster is not null)
        {
            await s_cluster.DisposeAsync();
        }
    }

    [TestCleanup]
    public async Task DisposeStores()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task A_waiter_is_told_who_holds_the_device_and_gets_it_when_it_is_released()
    {
        var device = NewDevice();
        var first = Store();
        var holding = await first.AcquireAsync([device], _ => { }, null, CancellationToken.None);
        var messages = new ConcurrentQueue<string>();
        var waiting = Store().AcquireAsync([device], messages.Enqueue, null, CancellationToken.None);
        await Until(() => !messages.IsEmpty, "the waiting message");
        Assert.IsFalse(waiting.IsCompleted);

        await holding.DisposeAsync();
        await using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.AreEqual(device, second.DeviceName);
        var told = messages.ToArray();
        StringAssert.Contains(told[0], $"waiting for device '{device}' held by {Environment.UserName} on {Environment.MachineName} (process {Environment.ProcessId}");
        StringAssert.Contains(told[0], " for ");
        StringAssert.Contains(told[^1], $"got device '{device}'");
    }

    [TestMethod]
    public async Task Waiters_are_served_in_the_order_they_asked()
    {
        var device = NewDevice();
        var holder = await Store().AcquireAsync([device], _ => { }, null, CancellationToken.None);
        var served = new ConcurrentQueue<int>();
        var waiters = new List<Task>();
        for (var i = 0; i < 5; i++)
        {
            var queued = new TaskCompletionSource();
            var number = i;
            var store = Store();
            waiters.Add(Task.Run(async () =>
            {
                await using var lease = await store.AcquireAsync([device], _ => queued.TrySetResult(), null, CancellationToken.None);
                served.Enqueue(number);
            }));
            await queued.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }

        await holder.DisposeAsync();
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(30));

        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4 }, served.ToArray());
    }

    [TestMethod]
    public async Task A_pool_request_takes_the_first_device_freed_and_leaves_the_other_queues()
    {
        var (a, b) = (NewDevice(), NewDevice());
        var holdsA = await Store().AcquireAsync([a], _ => { }, null, CancellationToken.None);
        var holdsB = await Store().AcquireAsync([b], _ => { }, null, CancellationToken.None);
        var poolQueued = new TaskCompletionSource();
        var pool = Store().AcquireAsync([a, b], _ => poolQueued.TrySetResult(), null, CancellationToken.None);
        await poolQueued.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var laterQueued = new TaskCompletionSource();
        var later = Store().AcquireAsync([b], _ => laterQueued.TrySetResult(), null, CancellationToken.None);
        await laterQueued.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // b is freed: the pool request asked first, so it gets b, although the later request wants only b.
        await holdsB.DisposeAsync();
        var poolLease = await pool.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.AreEqual(b, poolLease.DeviceName);
        Assert.IsFalse(later.IsCompleted);

        // The pool request left a's queue: a goes to whoever asks next, at once.
        await holdsA.DisposeAsync();
        await using (var next = await Store().AcquireAsync([a], _ => { }, TimeSpan.FromSeconds(10), CancellationToken.None))
        {
            Assert.AreEqual(a, next.DeviceName);
        }

        await poolLease.DisposeAsync();
        await using var laterLease = await later.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.AreEqual(b, laterLease.DeviceName);
    }

    [TestMethod]
    public async Task An_operator_release_is_refused_for_a_live_holder_and_forced_ends_its_lease()
    {
        var device = NewDevice();
        var holder = await Store().AcquireAsync([device], _ => { }, null, CancellationToken.None);
        var operatorStore = Store();

        var listed = (await operatorStore.ListAsync(CancellationToken.None)).Single(s => s.DeviceName == device);
        Assert.AreEqual(Environment.ProcessId, listed.Holder!.ProcessId);

        var refused = await operatorStore.ReleaseAsync(device, force: false, CancellationToken.None);
        Assert.IsFalse(refused.Done, refused.Message);
        StringAssert.Contains(refused.Message, "--force");
        Assert.IsFalse(holder.Lost.IsCancellationRequested);

        var forced = await operatorStore.ReleaseAsync(device, force: true, CancellationToken.None);
        Assert.IsTrue(forced.Done, forced.Message);
        await Until(() => holder.Lost.IsCancellationRequested, "the holder to see its lease lost", Ttl);
        StringAssert.Contains(holder.LostReason, "revoked");
        await using var next = await Store().AcquireAsync([device], _ => { }, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.AreEqual(device, next.DeviceName);
    }

    [TestMethod]
    public async Task The_list_shows_the_holder_and_the_waiters_in_order()
    {
        var device = NewDevice();
        await using var holder = await Store().AcquireAsync([device], _ => { }, null, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var queued = new TaskCompletionSource();
        var waiting = Store().AcquireAsync([device], _ => queued.TrySetResult(), null, stop.Token);
        await queued.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var state = (await Store().ListAsync(CancellationToken.None)).Single(s => s.DeviceName == device);

        Assert.AreEqual(Environment.MachineName, state.Holder!.Host);
        Assert.AreEqual(1, state.Waiters.Count);
        Assert.AreEqual(Environment.ProcessId, state.Waiters[0].ProcessId);
        await stop.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => waiting);
        await Until(async () => (await Store().ListAsync(CancellationToken.None)).Single(s => s.DeviceName == device).Waiters.Count == 0, "the cancelled waiter to leave the queue");
    }

    private EtcdLeaseStore Store()
    {
        var store = new EtcdLeaseStore(EtcdLeaseOptions.Parse(s_cluster.UrlWithTimeToLive(Ttl)));
        _stores.Add(store);
        return store;
    }

    private static string NewDevice() => "board-" + Guid.NewGuid().ToString("N")[..8];

    private static Task Until(Func<bool> condition, string what, TimeSpan? timeout = null) => Until(() => Task.FromResult(condition()), what, timeout);

    private static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20)) + TimeSpan.FromSeconds(1);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no {what} in time");
            }

            await Task.Delay(20);
        }
    }
}
