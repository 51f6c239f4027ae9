using DeviceTest.Agent.Tests.Cli;

namespace DeviceTest.Agent.Tests.Leases;

/// <summary><c>devicetest run</c> with the default store: lock files on this machine.</summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class LockFileRunTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [TestMethod]
    public async Task Two_runs_on_one_device_take_turns_and_the_second_says_who_holds_it()
    {
        using var lab = new LeaseLab();
        using var first = lab.Start("first", "gated", "local", leases: null);
        var deadline = DateTime.UtcNow + Wait;
        while (!lab.Uses().Any(u => u.Run == "first"))
        {
            Assert.IsTrue(DateTime.UtcNow < deadline, "the first run did not start its test");
            await Task.Delay(20);
        }

        using var second = lab.Start("second", "quick", "local", leases: null);
        var waiting = second.WaitForLine(l => l.Contains("waiting for a device", StringComparison.Ordinal), Wait, "the waiting message");
        StringAssert.Contains(waiting, $"'local' (held by {Environment.UserName} on {Environment.MachineName} (process {first.Id})");

        var listed = (await lab.RunAsync(["leases"], leases: null)).ExpectExit(0);
        StringAssert.Contains(listed.Stdout, $"local  held by {Environment.UserName} on {Environment.MachineName} (process {first.Id})");
        var refused = (await lab.RunAsync(["leases", "--release", "local"], leases: null)).ExpectExit(2);
        StringAssert.Contains(refused.Stderr, "held by a live run");

        lab.OpenGate();
        (await first.WaitAsync(Wait)).ExpectExit(0);
        (await second.WaitAsync(Wait)).ExpectExit(0);
        lab.AssertNoOverlap();
        CollectionAssert.AreEqual(new[] { "first", "second" }, lab.Uses().Where(u => u.Mark == "start").Select(u => u.Run).ToArray());
        Assert.IsTrue(lab.Uses().All(u => u.Device == "local"), lab.Describe());
    }

    [TestMethod]
    public async Task A_bad_leases_url_is_bad_usage()
    {
        using var lab = new LeaseLab();
        var result = (await lab.RunAsync(["leases", "--leases", "etcd://user:secret@"], leases: null)).ExpectExit(2).ExpectNoStackTrace();
        StringAssert.Contains(result.Stderr, "names no etcd member");
        Assert.IsFalse(result.Both.Contains("secret", StringComparison.Ordinal), result.Both);
    }
}
