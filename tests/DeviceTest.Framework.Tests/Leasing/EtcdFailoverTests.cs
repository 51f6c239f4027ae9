using System.Collections.Concurrent;
using System.Diagnostics;
using DeviceTest.Framework.Leasing;
using DeviceTest.Framework.Leasing.Etcd;
using DeviceTest.Lab.Etcd;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Leasing;

/// <summary>The etcd store while members of a real 3-member cluster are killed (SIGKILL by pid); a cluster per test.</summary>
[TestClass]
public sealed class EtcdFailoverTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    [TestMethod]
    public async Task Killing_the_leader_mid_run_keeps_every_hold_and_never_gives_a_device_to_two_runs()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        string[] devices = ["a", "b", "c"];
        // The default time to live (10 s): an election must fit in it under load.
        var stores = Enumerable.Range(0, 8).Select(_ => new EtcdLeaseStore(EtcdLeaseOptions.Parse(cluster.Url))).ToList();
        var errors = new ConcurrentQueue<string>();
        var inUse = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var lost = 0;
        var claims = 0;
        using var stop = new CancellationTokenSource();
        var contenders = stores.Select(store => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                IDeviceLease lease;
                try
                {
                    lease = await store.AcquireAsync(devices, _ => { }, null, stop.Token);
                }
                catch (LeaseStoreException e)
                {
                    errors.Enqueue(e.Message);
                    continue;
                }

                await using (lease)
                {
                    Interlocked.Increment(ref claims);
                    if (inUse.AddOrUpdate(lease.DeviceName, 1, (_, n) => n + 1) > 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    await Task.Delay(Random.Shared.Next(5, 30), CancellationToken.None);
                    if (lease.Lost.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref lost);
                    }

                    inUse.AddOrUpdate(lease.DeviceName, 0, (_, n) => n - 1);
                }
            }
        })).ToList();

        try
        {
            await UntilAsync(() => Volatile.Read(ref claims) >= 100, "100 claims before the kill", TimeSpan.FromSeconds(60));
            var leader = await cluster.LeaderAsync();
            await cluster.KillAsync(leader);
            var before = Volatile.Read(ref claims);
            await UntilAsync(() => Volatile.Read(ref claims) >= before + 100, $"100 claims after the leader was killed (errors: {string.Join("; ", errors)})", TimeSpan.FromSeconds(60));
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var contender in contenders)
            {
                try
                {
                    await contender;
                }
                catch (OperationCanceledException)
                {
                }
            }

            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        Assert.AreEqual(0, overlaps, $"devices held by two runs at once, in {claims} claims");
        Assert.IsTrue(errors.IsEmpty, string.Join("\n", errors));
        Assert.AreEqual(0, lost, "holds lost although two members of three kept running");
    }

    [TestMethod]
    public async Task With_two_of_three_members_down_holders_see_their_lease_lost_within_its_time_to_live_and_claims_fail_clearly()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        await using var holderStore = new EtcdLeaseStore(EtcdLeaseOptions.Parse(cluster.UrlWithTimeToLive(Ttl)));
        await using var held = await holderStore.AcquireAsync(["board"], _ => { }, null, CancellationToken.None);

        var leader = await cluster.LeaderAsync();
        var clock = Stopwatch.StartNew();
        await cluster.KillAsync(leader);
        await cluster.KillAsync((leader + 1) % 3);

        await UntilAsync(() => held.Lost.IsCancellationRequested, "the holder to see its lease lost", Ttl + TimeSpan.FromSeconds(1));
        Assert.IsTrue(clock.Elapsed <= Ttl + TimeSpan.FromSeconds(1), $"lost after {clock.Elapsed}");
        StringAssert.Contains(held.LostReason, "time to live");
        Assert.ThrowsExactly<OperationCanceledException>(held.ThrowIfLost);

        await using var newcomer = new EtcdLeaseStore(EtcdLeaseOptions.Parse(cluster.UrlWithTimeToLive(Ttl)));
        clock.Restart();
        var error = await Assert.ThrowsExactlyAsync<LeaseStoreException>(() => newcomer.AcquireAsync(["other"], _ => { }, null, CancellationToken.None));
        StringAssert.Contains(error.Message, "did not answer");
        StringAssert.Contains(error.Message, "majority of its members");
        Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(30), $"the claim failed only after {clock.Elapsed}");
    }

    private static async Task UntilAsync(Func<bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no {what} within {timeout}");
            }

            await Task.Delay(10);
        }
    }
}
