using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Hardware.Tests.Local;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Ssh;

/// <summary>
/// Batch puts (one tar stream, files by sendfile) to two SSH boards: one whose <c>tar</c> is GNU tar, one whose
/// <c>tar</c> is busybox's (first on the sessions' PATH), as small boards have it. A file that changes or vanishes
/// during the put must leave every target as it was. To change a file while it is in flight, the test stops the
/// device's tar (SIGSTOP) before the put opens the 64 MiB file, so the stream stalls within it once the pipes and
/// ssh's window are full; it changes the file once the put has it open, then continues tar.
/// </summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SshBatchTransferTests
{
    private const int BigSize = 64 * 1024 * 1024;

    private static SshBoard? s_gnuBoard;
    private static SshDevice? s_gnuDevice;
    private static SshBoard? s_busyboxBoard;
    private static SshDevice? s_busyboxDevice;
    private static string? s_busyboxBin;
    private string _local = null!;
    private string _remote = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        s_gnuBoard = await SshLab.StartBoardAsync();
        s_gnuDevice = new SshDevice(s_gnuBoard.CreateDeviceConfig("gnu-tar-board"));
        if (LabRequirement.FindProgram("busybox") is { } busybox)
        {
            s_busyboxBin = Directory.CreateTempSubdirectory("dt-busybox-tar-").FullName;
            File.CreateSymbolicLink(Path.Combine(s_busyboxBin, "tar"), busybox);
            s_busyboxBoard = await SshBoard.StartAsync(new Dictionary<string, string> { ["PATH"] = s_busyboxBin + ":/usr/local/bin:/usr/bin:/bin" });
            s_busyboxDevice = new SshDevice(s_busyboxBoard.CreateDeviceConfig("busybox-tar-board"));
        }
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        await SshLab.StopAsync(s_gnuDevice, s_gnuBoard);
        await SshLab.StopAsync(s_busyboxDevice, s_busyboxBoard);
        if (s_busyboxBin is not null)
        {
            Directory.Delete(s_busyboxBin, recursive: true);
        }
    }

    [TestInitialize]
    public void CreateDirectories()
    {
        _local = Directory.CreateTempSubdirectory("dt-batch-local-").FullName;
        _remote = Directory.CreateTempSubdirectory("dt-batch-remote-").FullName;
    }

    [TestCleanup]
    public void RemoveDirectories()
    {
        Directory.Delete(_local, recursive: true);
        Directory.Delete(_remote, recursive: true);
    }

    [TestMethod]
    [DataRow("GNU")]
    [DataRow("busybox")]
    public async Task Files_of_every_size_around_a_tar_block_and_a_long_path_arrive_byte_for_byte(string tar)
    {
        var (board, device) = Board(tar);
        var longDirectory = string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 5));
        var sizes = new[] { 0, 1, 511, 512, 513, (1024 * 1024) + 1 };
        var uploads = sizes.Select(size => Create($"f{size}.bin", RandomNumberGenerator.GetBytes(size), $"{_remote}/f{size}.bin")).ToList();
        uploads.Add(Create("long.bin", RandomNumberGenerator.GetBytes(70_000), $"{_remote}/{longDirectory}/long.bin"));
        await File.WriteAllTextAsync(Path.Combine(_remote, "f513.bin"), "an older file", TestContext.CancellationToken);

        await ((IBatchFileTransfer)device.Files).PutManyAsync(uploads, sent: null, TestContext.CancellationToken);

        foreach (var upload in uploads)
        {
            CollectionAssert.AreEqual(
                SHA256.HashData(await File.ReadAllBytesAsync(upload.LocalPath, TestContext.CancellationToken)),
                SHA256.HashData(await File.ReadAllBytesAsync(upload.RemotePath, TestContext.CancellationToken)),
                $"{upload.RemotePath} differs ({board.Port})");
        }

        AssertNoStagingLeft();
    }

    [TestMethod]
    [DataRow("GNU")]
    [DataRow("busybox")]
    public async Task A_file_that_grows_while_it_is_sent_fails_the_put_and_every_target_keeps_its_content(string tar)
    {
        // Zeros: once sent, a run of zero blocks after the promised size would read as the archive's end, and the
        // device would have committed the files before it (and half of the batch).
        var error = await PutWhileChangingAsync(tar, big => File.AppendAllBytes(big, new byte[8192]));

        Assert.Contains("big.bin changed size while it was being sent", error.Message);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"({BigSize} bytes when its transfer began, {BigSize + 8192} now)"), error.Message);
    }

    [TestMethod]
    [DataRow("GNU")]
    [DataRow("busybox")]
    public async Task A_file_that_shrinks_while_it_is_sent_fails_the_put_and_every_target_keeps_its_content(string tar)
    {
        var error = await PutWhileChangingAsync(tar, big =>
        {
            using var file = new FileStream(big, FileMode.Open, FileAccess.Write);
            file.SetLength(1024 * 1024);
        });

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"big.bin changed size while it was being sent ({BigSize} bytes when its transfer began, 1048576 now)"), error.Message);
    }

    [TestMethod]
    [DataRow("GNU")]
    [DataRow("busybox")]
    public async Task A_file_missing_when_its_turn_comes_fails_the_put_and_every_target_keeps_its_content(string tar)
    {
        var (_, device) = Board(tar);
        var uploads = OldAndNew();
        var missing = Path.Combine(_local, "gone.txt");

        // With its mode and time given, as the deployer gives them, nothing looks at the file before its turn.
        uploads.Insert(1, new FileUpload(missing, $"{_remote}/gone.txt", 0x1A4, DateTime.UtcNow));

        var error = await Assert.ThrowsAsync<IOException>(
            () => ((IBatchFileTransfer)device.Files).PutManyAsync(uploads, sent: null, TestContext.CancellationToken));

        Assert.Contains("cannot read " + missing, error.Message);
        await AssertOldContentAsync();
    }

    /// <summary>Puts a.txt, big.bin and c.txt over old copies; stops the device's tar after a.txt went out, changes
    /// big.bin once the put has it open, continues tar and returns the put's error (after checking the device).</summary>
    private async Task<IOException> PutWhileChangingAsync(string tar, Action<string> change)
    {
        var (board, device) = Board(tar);
        var uploads = OldAndNew();
        var big = Create("big.bin", RandomNumberGenerator.GetBytes(BigSize), $"{_remote}/big.bin");
        uploads.Insert(1, big);
        var stopped = 0;
        try
        {
            var put = ((IBatchFileTransfer)device.Files).PutManyAsync(
                uploads,
                upload =>
                {
                    if (upload.RemotePath.EndsWith("/a.txt", StringComparison.Ordinal))
                    {
                        stopped = DeviceTar(board.ListenerPid);
                        Signal("STOP", stopped);
                    }
                },
                TestContext.CancellationToken);
            await WaitUntilOpenHereAsync(big.LocalPath, put);
            Assert.AreNotEqual(0, stopped, "the device's tar was not stopped before big.bin was opened");
            change(big.LocalPath);
            Signal("CONT", stopped);
            stopped = 0;

            var error = await Assert.ThrowsAsync<IOException>(() => put);
            await AssertOldContentAsync();
            return error;
        }
        finally
        {
            if (stopped != 0)
            {
                Signal("CONT", stopped);
            }
        }
    }

    private static (SshBoard Board, SshDevice Device) Board(string tar)
    {
        if (tar == "busybox" && s_busyboxDevice is null)
        {
            LabRequirement.Missing("busybox is not installed (apt-get install busybox-static)");
        }

        return tar == "busybox" ? (s_busyboxBoard!, s_busyboxDevice!) : (s_gnuBoard ?? throw new AssertInconclusiveException("no SSH board"), s_gnuDevice!);
    }

    private List<FileUpload> OldAndNew()
    {
        var uploads = new List<FileUpload>();
        foreach (var name in new[] { "a.txt", "c.txt" })
        {
            File.WriteAllText(Path.Combine(_remote, name), "old " + name);
            uploads.Add(Create(name, System.Text.Encoding.UTF8.GetBytes("new " + name), $"{_remote}/{name}"));
        }

        File.WriteAllText(Path.Combine(_remote, "big.bin"), "old big.bin");
        return uploads;
    }

    private FileUpload Create(string name, byte[] content, string remotePath)
    {
        var path = Path.Combine(_local, name);
        File.WriteAllBytes(path, content);
        return new FileUpload(path, remotePath);
    }

    private async Task AssertOldContentAsync()
    {
        foreach (var name in new[] { "a.txt", "big.bin", "c.txt" })
        {
            Assert.AreEqual("old " + name, await File.ReadAllTextAsync(Path.Combine(_remote, name), TestContext.CancellationToken), name + " was replaced");
        }

        Assert.IsFalse(File.Exists(Path.Combine(_remote, "gone.txt")));
        AssertNoStagingLeft();
    }

    private void AssertNoStagingLeft()
    {
        var left = Directory.GetFileSystemEntries(_remote, ".devicetest-*", SearchOption.AllDirectories);
        Assert.IsEmpty(left, "staging left on the device: " + string.Join(", ", left));
    }

    /// <summary>The <c>tar</c> process the board's sshd runs for the put (waits for it to start).</summary>
    private static int DeviceTar(int sshd)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (ProcessTable.DescendantsNamed(sshd, "tar") is [var tar])
            {
                return tar;
            }

            Thread.Sleep(5);
        }

        throw new AssertFailedException("the device's tar did not start within 30 s");
    }

    /// <summary>Waits until this process has <paramref name="path"/> open (the put fixed its size in the header).</summary>
    private static async Task WaitUntilOpenHereAsync(string path, Task put)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30) && !put.IsCompleted)
        {
            foreach (var descriptor in Directory.EnumerateFiles("/proc/self/fd"))
            {
                try
                {
                    if (new FileInfo(descriptor).LinkTarget == path)
                    {
                        return;
                    }
                }
                catch (IOException)
                {
                    // Closed meanwhile.
                }
            }

            await Task.Delay(2);
        }

        await put;
        throw new AssertFailedException($"the put never opened {path}");
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.AreEqual(0, kill.ExitCode, $"kill -{signal} {pid}");
    }
}
