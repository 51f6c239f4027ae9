using DeviceTest.Framework.Leasing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Leasing;

/// <summary>The default store: lock files on this machine.</summary>

[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
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
            var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiting = new LockFileLeaseStore(directory).AcquireAsync(["a"], m => { messages.Add(m); told.TrySetResult(); }, null, CancellationToken.None);
            await told.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.IsFalse(waiting.IsCompleted, "it said it waits, and it does");
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

    [TestMethod]
    public void The_lease_folder_and_its_files_are_private()
    {
        var directory = NewDirectory();
        try
        {
            using var lease = directory.TryAcquire("board");

            Assert.IsNotNull(lease);
            Assert.AreEqual(PrivateFolder, File.GetUnixFileMode(directory.Path));
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory.Path, "board.lock")));
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory.Path, "board.owner")));
        }
        finally
        {
            Directory.Delete(directory.Path, recursive: true);
        }
    }

    [TestMethod]
    public void A_planted_symbolic_link_as_the_lease_folder_is_refused_and_never_followed()
    {
        var directory = NewDirectory();
        var elsewhere = Directory.CreateTempSubdirectory("devicetest-lease-target-").FullName;
        try
        {
            File.CreateSymbolicLink(directory.Path, elsewhere);

            var error = Assert.ThrowsExactly<UnauthorizedAccessException>(() => directory.TryAcquire("board"));

            StringAssert.Contains(error.Message, directory.Path);
            StringAssert.Contains(error.Message, "symbolic link");
            StringAssert.Contains(error.Message, "Remove it");
            Assert.IsEmpty(Directory.GetFileSystemEntries(elsewhere), "nothing was written through the link");
        }
        finally
        {
            File.Delete(directory.Path);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [TestMethod]
    public void A_lease_folder_of_another_user_is_refused()
    {
        var directory = NewDirectory();
        Directory.CreateDirectory(directory.Path, PrivateFolder);
        try
        {
            if (!Chown("nobody", directory.Path))
            {
                DeviceTest.Lab.LabRequirement.Missing("changing a folder's owner to 'nobody' needs root (chown)");
            }

            var error = Assert.ThrowsExactly<UnauthorizedAccessException>(() => directory.TryAcquire("board"));

            StringAssert.Contains(error.Message, "belongs to user id");
            StringAssert.Contains(error.Message, "XDG_RUNTIME_DIR");
            Assert.IsEmpty(Directory.GetFileSystemEntries(directory.Path));
        }
        finally
        {
            Directory.Delete(directory.Path, recursive: true);
        }
    }

    [TestMethod]
    public void A_lease_folder_others_can_write_to_is_refused_and_one_of_ours_is_made_private()
    {
        var open = NewDirectory();
        var older = NewDirectory();
        Directory.CreateDirectory(open.Path);
        Directory.CreateDirectory(older.Path);
        try
        {
            File.SetUnixFileMode(open.Path, (UnixFileMode)0x1ff);
            File.SetUnixFileMode(older.Path, (UnixFileMode)0x1ed);

            var error = Assert.ThrowsExactly<UnauthorizedAccessException>(() => open.TryAcquire("board"));
            using var lease = older.TryAcquire("board");

            StringAssert.Contains(error.Message, "others can write to it (mode 777)");
            Assert.IsNotNull(lease, "a 0755 folder of ours (from an older DeviceTest) is used");
            Assert.AreEqual(PrivateFolder, File.GetUnixFileMode(older.Path));
        }
        finally
        {
            Directory.Delete(open.Path, recursive: true);
            Directory.Delete(older.Path, recursive: true);
        }
    }

    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static bool Chown(string user, string path)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [user, path]);
        chown.WaitForExit();
        return chown.ExitCode == 0;
    }

    private static LeaseDirectory NewDirectory() =>
        new(Path.Combine(Path.GetTempPath(), "devicetest-lease-tests-" + Guid.NewGuid().ToString("N")));
}
