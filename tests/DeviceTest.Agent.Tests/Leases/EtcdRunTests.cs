using System.Diagnostics;
using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab;
using DeviceTest.Lab.Etcd;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Agent.Tests.Leases;

/// <summary>
/// <c>devicetest run</c> processes contending for devices leased in a real 3-member etcd cluster (time to live 5 s),
/// each test recording its use of the device in a shared file.
/// </summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class EtcdRunTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static EtcdCluster s_cluster = null!;
    private static SshBoard s_board = null!;

    private static string Leases => s_cluster.UrlWithTimeToLive(Ttl);

    [ClassInitialize]
    public static async Task StartLab(TestContext context)
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid", "pgrep");
        s_cluster = await EtcdCluster.StartAsync();
        s_board = await SshBoard.StartAsync();
    }

    [ClassCleanup]
    public static async Task StopLab()
    {
        if (s_cluster is not null)
        {
            await s_cluster.DisposeAsync();
        }

        if (s_board is not null)
        {
            await s_board.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task Runs_contending_for_two_devices_never_overlap_and_each_device_serves_them_first_come_first_served()
    {
        using var lab = new LeaseLab(s_board);
        var runs = new List<DeviceTestProcess>();
        var queued = new Dictionary<string, List<string>> { ["dev-a"] = [], ["dev-b"] = [] };
        try
        {
            // Each device is first held by a run whose test waits for the gate; the others queue one after another.
            for (var i = 0; i < 6; i++)
            {
                var device = i % 2 == 0 ? "dev-a" : "dev-b";
                var run = $"r{i}";
                var process = lab.Start(run, i < 2 ? "gated" : "quick", device, Leases);
                runs.Add(process);
                if (i < 2)
                {
                    await UntilAsync(() => lab.Uses().Any(u => u.Run == run), $"{run} to start on {device}");
                }
                else
                {
                    process.WaitForLine(l => l.Contains("waiting for device", StringComparison.Ordinal), Wait, $"{run} to wait for {device}");
                    queued[device].Add(run);
                }
            }

            lab.OpenGate();
            foreach (var run in runs)
            {
                (await run.WaitAsync(Wait)).ExpectExit(0);
            }
        }
        finally
        {
            runs.ForEach(r => r.Dispose());
        }

        lab.AssertNoOverlap();
        foreach (var (device, order) in queued)
        {
            var served = lab.Uses().Where(u => u.Device == device && u.Mark == "start").Select(u => u.Run).Skip(1).ToList();
            CollectionAssert.AreEqual(order, served, $"order of service on {device}:\n{lab.Describe()}");
        }
    }

    [TestMethod]
    public async Task A_holder_killed_with_SIGKILL_frees_its_device_for_the_next_waiter_within_the_time_to_live()
    {
        using var lab = new LeaseLab(s_board);
        using var holder = lab.Start("holder", "gated", "dev-a", Leases);
        await UntilAsync(() => lab.Uses().Any(u => u.Run == "holder"), "the holder to start its test");
        using var waiter = lab.Start("waiter", "quick", "dev-a", Leases);
        var waiting = waiter.WaitForLine(l => l.Contains("waiting for device 'dev-a' held by", StringComparison.Ordinal), Wait, "the waiting message");
        StringAssert.Contains(waiting, $"(process {holder.Id}, ");

        var clock = Stopwatch.StartNew();
        holder.Signal("KILL");
        waiter.WaitForLine(l => l.Contains("got device 'dev-a'", StringComparison.Ordinal), Wait, "the waiter to get the device");
        var freedAfter = clock.Elapsed;

        (await waiter.WaitAsync(Wait)).ExpectExit(0);
        Assert.IsTrue(freedAfter <= Ttl + TimeSpan.FromSeconds(1), $"the device was free only {freedAfter.TotalSeconds:0.0} s after the kill (time to live {Ttl.TotalSeconds:0} s)");
    }

    [TestMethod]
    public async Task A_holder_paused_past_its_time_to_live_reports_the_lost_lease_and_runs_no_further_test()
    {
        using var lab = new LeaseLab(s_board);
        using var holder = lab.Start("holder", "two", "dev-a", Leases);
        await UntilAsync(() => lab.Uses().Any(u => u.Run == "holder"), "the holder to start its first test");
        using var waiter = lab.Start("waiter", "quick", "dev-a", Leases);
        waiter.WaitForLine(l => l.Contains("waiting for device 'dev-a'", StringComparison.Ordinal), Wait, "the waiter to queue");

        holder.Signal("STOP");
        try
        {
            // The holder's lease expires while it is stopped: the waiter gets the device and uses it.
            (await waiter.WaitAsync(Wait)).ExpectExit(0);
        }
        finally
        {
            holder.Signal("CONT");
        }

        lab.OpenGate();
        var result = (await holder.WaitAsync(Wait)).ExpectExit(3);
        StringAssert.Contains(result.Stderr, "lost the lease on device 'dev-a'");
        Assert.IsFalse(lab.Describe().Contains("holder dev-a second", StringComparison.Ordinal), lab.Describe());
        Assert.IsTrue(lab.Uses().Any(u => u.Run == "waiter" && u.Mark == "end"), lab.Describe());
    }

    [TestMethod]
    public async Task The_leases_command_lists_holders_and_waiters_and_releases_a_live_holder_only_when_forced()
    {
        using var lab = new LeaseLab(s_board);
        using var holder = lab.Start("holder", "gated", "dev-b", Leases);
        await UntilAsync(() => lab.Uses().Any(u => u.Run == "holder"), "the holder to start its test");
        using var waiter = lab.Start("waiter", "quick", "dev-b", Leases);
        waiter.WaitForLine(l => l.Contains("waiting for device 'dev-b'", StringComparison.Ordinal), Wait, "the waiter to queue");

        var listed = (await lab.RunAsync(["leases", "--leases", Leases, "--devices", "devices.yml"], null)).ExpectExit(0);
        StringAssert.Contains(listed.Stdout, $"leases: etcd at 127.0.0.1:");
        StringAssert.Contains(listed.Stdout, $"dev-b  held by {Environment.UserName} on {Environment.MachineName} (process {holder.Id}, ");
        StringAssert.Contains(listed.Stdout, $"waiting 1: {Environment.UserName} on {Environment.MachineName} (process {waiter.Id}, ");
        StringAssert.Contains(listed.Stdout, "dev-a  free");

        var refused = (await lab.RunAsync(["leases", "--leases", Leases, "--release", "dev-b"], null)).ExpectExit(2).ExpectNoStackTrace();
        StringAssert.Contains(refused.Stderr, "--force");

        (await lab.RunAsync(["leases", "--leases", Leases, "--release", "dev-b", "--force"], null)).ExpectExit(0);
        var lost = (await holder.WaitAsync(Wait)).ExpectExit(3);
        StringAssert.Contains(lost.Stderr, "lost the lease on device 'dev-b'");
        (await waiter.WaitAsync(Wait)).ExpectExit(0);
    }

    [TestMethod]
    public async Task A_run_that_cannot_reach_etcd_fails_with_exit_code_3_and_says_so()
    {
        using var lab = new LeaseLab();
        using var closed = LoopbackPort.Reserve();
        using var run = lab.Start("r", "quick", "local", $"etcd://127.0.0.1:{closed.Number}?ttl=3s");
        var result = (await run.WaitAsync(Wait)).ExpectExit(3).ExpectNoStackTrace();
        StringAssert.Contains(result.Stderr, $"device 'local' could not be leased: etcd at 127.0.0.1:{closed.Number} did not answer");
        Assert.AreEqual(0, lab.Uses().Count, lab.Describe());
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no {what} within {Wait}");
            }

            await Task.Delay(20);
        }
    }
}
