using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Ssh;

[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SshFileTransferTests
{
    private static SshBoard? s_board;
    private static SshDevice? s_device;
    private string _local = null!;
    private string _remote = null!;

    public TestContext TestContext { get; set; } = null!;

    private static SshDevice Device => s_device ?? throw new AssertInconclusiveException("no SSH board");

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        s_board = await SshLab.StartBoardAsync();
        s_device = new SshDevice(s_board.CreateDeviceConfig("files-board"));
    }

    [ClassCleanup]
    public static Task StopAsync() => SshLab.StopAsync(s_device, s_board);

    [TestInitialize]
    public void CreateDirectories()
    {
        _local = Directory.CreateTempSubdirectory("dt-files-local-").FullName;
        _remote = Directory.CreateTempSubdirectory("dt-files-remote-").FullName;
    }

    [TestCleanup]
    public void RemoveDirectories()
    {
        Directory.Delete(_local, recursive: true);
        Directory.Delete(_remote, recursive: true);
    }

    [TestMethod]
    public async Task Put_creates_parents_and_applies_the_mode()
    {
        var source = Path.Combine(_local, "tool.sh");
        await File.WriteAllTextAsync(source, "#!/bin/sh\necho hi\n", TestContext.CancellationToken);
        var target = Path.Combine(_remote, "a", "b", "tool.sh");

        await Device.Files.PutAsync(source, target, Convert.ToInt32("750", 8), TestContext.CancellationToken);

        Assert.AreEqual("#!/bin/sh\necho hi\n", await File.ReadAllTextAsync(target, TestContext.CancellationToken));
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(target));
        var run = await Device.RunAsync(CommandRequest.Arguments(target), TestContext.CancellationToken);
        Assert.AreEqual("hi\n", run.Stdout);
    }

    [TestMethod]
    public async Task Put_replaces_an_existing_file_and_leaves_no_temporary_files()
    {
        var source = Path.Combine(_local, "data.bin");
        var bytes = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(bytes);
        await File.WriteAllBytesAsync(source, bytes, TestContext.CancellationToken);
        var target = Path.Combine(_remote, "data.bin");
        await File.WriteAllTextAsync(target, "old", TestContext.CancellationToken);

        await Device.Files.PutAsync(source, target, null, TestContext.CancellationToken);

        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(target, TestContext.CancellationToken));
        Assert.HasCount(1, Directory.GetFiles(_remote));
    }

    [TestMethod]
    public async Task A_cancelled_put_leaves_no_partial_file()
    {
        // Cancel once the transfer demonstrably runs (its temporary file grows), not after a fixed delay: since bulk
        // data goes through blocking pipe writes, 400 MB could arrive whole within the old 300 ms.
        const long Size = 2L * 1024 * 1024 * 1024;
        var source = Path.Combine(_local, "big.bin");
        await using (var file = File.Create(source))
        {
            file.SetLength(Size);
        }

        var target = Path.Combine(_remote, "big.bin");
        using var cancel = new CancellationTokenSource();
        var put = Device.Files.PutAsync(source, target, null, cancel.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        long seen = 0;
        while (seen == 0 && !put.IsCompleted && DateTime.UtcNow < deadline)
        {
            seen = Directory.GetFiles(_remote, "big.bin.devicetest-tmp-*").Select(f => new FileInfo(f).Length).DefaultIfEmpty(0).Max();
            await Task.Delay(10, TestContext.CancellationToken);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => put);

        Assert.IsGreaterThan(0L, seen, "the transfer never started");
        Assert.IsFalse(File.Exists(target), $"a partial file reached the target name (cancelled at {seen} of {Size} bytes)");
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Directory.GetFiles(_remote).Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.CancellationToken);
        }

        Assert.IsEmpty(Directory.GetFiles(_remote), "the temporary file stayed: " + string.Join(", ", Directory.GetFiles(_remote)));
    }

    [TestMethod]
    public async Task A_file_that_changes_during_a_put_fails_the_put_saying_so_and_leaves_the_target_alone()
    {
        // A FIFO is a file whose size (0) says nothing of what reading it gives: here, more bytes than the put expected,
        // as a log or image that grows while it is sent.
        var source = Path.Combine(_local, "growing.log");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [source]))
        {
            await mkfifo.WaitForExitAsync(TestContext.CancellationToken);
        }

        var target = Path.Combine(_remote, "growing.log");
        await File.WriteAllTextAsync(target, "previous\n", TestContext.CancellationToken);
        var writer = Task.Run(() => File.WriteAllText(source, "grew while it was sent\n"), TestContext.CancellationToken);

        var error = await Assert.ThrowsAsync<IOException>(() => Device.Files.PutAsync(source, target, null, TestContext.CancellationToken));
        await writer;

        StringAssert.Contains(error.Message, "files-board");
        StringAssert.Contains(error.Message, "received 23 bytes of a file that had 0 when the put started: it changed while it was sent");
        Assert.AreEqual("previous\n", await File.ReadAllTextAsync(target, TestContext.CancellationToken), "the target keeps what it had");
        Assert.HasCount(1, Directory.GetFiles(_remote), "no temporary file stays: " + string.Join(", ", Directory.GetFiles(_remote)));
    }

    [TestMethod]
    public async Task Get_copies_a_file_back()
    {
        var remoteFile = Path.Combine(_remote, "log.txt");
        await File.WriteAllTextAsync(remoteFile, "line 1\nline 2\n", TestContext.CancellationToken);
        var target = Path.Combine(_local, "sub", "log.txt");

        await Device.Files.GetAsync(remoteFile, target, TestContext.CancellationToken);

        Assert.AreEqual("line 1\nline 2\n", await File.ReadAllTextAsync(target, TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task A_large_file_goes_there_and_back_byte_for_byte()
    {
        var source = Path.Combine(_local, "payload.bin");
        var data = System.Security.Cryptography.RandomNumberGenerator.GetBytes(24 * 1024 * 1024);
        await File.WriteAllBytesAsync(source, data, TestContext.CancellationToken);
        var target = Path.Combine(_remote, "payload.bin");
        var back = Path.Combine(_local, "back.bin");

        await Device.Files.PutAsync(source, target, null, TestContext.CancellationToken);
        await Device.Files.GetAsync(target, back, TestContext.CancellationToken);

        var expected = System.Security.Cryptography.SHA256.HashData(data);
        CollectionAssert.AreEqual(expected, System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(target, TestContext.CancellationToken)));
        CollectionAssert.AreEqual(expected, System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(back, TestContext.CancellationToken)));
    }

    [TestMethod]
    public async Task Get_of_a_missing_file_says_so()
    {
        var missing = Path.Combine(_remote, "nope.txt");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => Device.Files.GetAsync(missing, Path.Combine(_local, "nope.txt"), TestContext.CancellationToken));

        Assert.Contains("files-board", error.Message);
        Assert.Contains(missing, error.Message);
        Assert.IsFalse(File.Exists(Path.Combine(_local, "nope.txt")));
    }

    [TestMethod]
    public async Task Get_directory_copies_a_tree()
    {
        Directory.CreateDirectory(Path.Combine(_remote, "results", "deep", "er"));
        await File.WriteAllTextAsync(Path.Combine(_remote, "results", "top.txt"), "top", TestContext.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_remote, "results", "deep", "er", "leaf.txt"), "leaf", TestContext.CancellationToken);
        var target = Path.Combine(_local, "got");

        await Device.Files.GetDirectoryAsync(Path.Combine(_remote, "results"), target, TestContext.CancellationToken);

        Assert.AreEqual("top", await File.ReadAllTextAsync(Path.Combine(target, "top.txt"), TestContext.CancellationToken));
        Assert.AreEqual("leaf", await File.ReadAllTextAsync(Path.Combine(target, "deep", "er", "leaf.txt"), TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task Get_directory_of_a_missing_directory_copies_nothing()
    {
        var target = Path.Combine(_local, "empty");

        await Device.Files.GetDirectoryAsync(Path.Combine(_remote, "no-such-dir"), target, TestContext.CancellationToken);

        Assert.IsTrue(Directory.Exists(target));
        Assert.IsEmpty(Directory.GetFileSystemEntries(target));
    }

    [TestMethod]
    public async Task Relative_remote_paths_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(
            () => Device.Files.GetAsync("relative/path", Path.Combine(_local, "x"), TestContext.CancellationToken));
    }
}
