using DeviceTest.Framework.Leasing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Leasing;

/// <summary>The default store: lock files on this machine.</summary>

[TestClass]
public sealed class LockFileLeaseStoreTests
{
    [TestMethod]
    public void A_device_is_leased_to_one_holder_at_a_time()
    {
        var directory = NewDirectory();
        try
        {
            using (var first = directory.TryAcquire("board"))
            {
                Assert.IsNotNull(first);
                Assert.IsNull(directory.TryAcquire("board"));
                StringAssert.Contains(directory.DescribeHolder("board")!, $"process {Environment.ProcessId}");
                using var other = directory.TryAcquire("other-board");
                Assert.IsNotNull(other);
            }

            using var again = directory.TryAcquire("board");
            Assert.IsNotNull(again);
        }
        finally
        {
            Directory.Delete(directory.Path, recursive: true);
        }
    }

    [TestMethod]
    public async Task The_broker_takes_a_free_device_of_the_pool()
    {
        var directory = NewDirectory();
        try
        {
            using var busy = directory.TryAcquire("a");
            await using var lease = await new LockFileLeaseStore(directory).AcquireAsync(["a", "b"], _ => { }, null, CancellationToken.None);

            Assert.AreEqual("b", lease.DeviceName);
        }
        finally
        {
            Directory.Delete(directory.Path, recursive: true);
        }
    }

    [TestMethod]
    public async Task The_broker_waits_says_so_once_and_gets_the_device_when_it_is_released()
    {
        var directory = NewDirectory();
        try
        {
            var busy = directory.TryAcquire("a")!;
            var messages = new List<string>();
            var waiting = new LockFileLeaseStore(directory).AcquireAsync(["a"], messages.Add, null, CancellationToken.None);
            await Task.Delay(700);
            Assert.IsFalse(waiting.IsCompleted);
            busy.Dispose();

            await using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.AreEqual("a", lease.DeviceName);
            StringAssert.Contains(messages[0], "waiting for a device");
            StringAssert.Contains(messages[0], $"'a' (held by {Environment.UserName} on {Environment.MachineName} (process {Environment.ProcessId}");
            StringAssert.Contains(messages[1], "got device 'a'");
        }
        finally
        {
            Directory.Delete(directory.Path, recursive: true);
        }
    }

    [TestMethod]
    public async Task The_broker_gives_up_after_the_lease_timeout_with_a_clear_message()
    {
        var directory = NewDirectory();
        try
        {
            using var busy = directory.TryAcquire("a");

            var error = await Assert.ThrowsExactlyAsync<TimeoutException>(() =>
                new LockFileLeaseStore(directory).AcquireAsync(["a"], _ => { }, TimeSpan.FromMilliseconds(300), CancellationToken.None));

            StringAssert.Contains(error.Message, "No device was free");
            StringAssert.Contains(error.Message, "LeaseTimeout");
        }
        finally
        {
            Directory.Delete(directory.Path, recursive: true);
        }
    }

    [TestMethod]
    public async Task Waiting_stops_when_the_run_is_cancelled()
    {
        var directory = NewDirectory();
        try
        {
            using var busy = directory.TryAcquire("a");
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

            await Assert.ThrowsAsync<OperationCanceledException>(() =>
                new LockFileLeaseStore(directory).AcquireAsync(["a"], _ => { }, null, cancellation.Token));
        }
        finally
        {
            Directory.Delete(directory.Path, recursive: true);
        }
    }

    private static LeaseDirectory NewDirectory() =>
        new(Path.Combine(Path.GetTempPath(), "devicetest-lease-tests-" + Guid.NewGuid().ToString("N")));
}
