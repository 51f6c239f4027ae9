using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab;

namespace DeviceTest.Hardware.Tests.Ssh;

/// <summary>
/// The tar entries' data stream on its own, against real tar programs: by sendfile(2) into a pipe, by reads and writes
/// into anything else, and a file that changes size after it was opened.
/// </summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileSendStreamTests
{
    /// <summary>Sizes around tar's 512-byte blocks, and one past a MiB.</summary>
    private static readonly int[] Sizes = [0, 1, 511, 512, 513, (1024 * 1024) + 1];

    private string _work = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateDirectory() => _work = Directory.CreateTempSubdirectory("dt-sendfile-").FullName;

    [TestCleanup]
    public void RemoveDirectory() => Directory.Delete(_work, recursive: true);

    [TestMethod]
    public async Task Files_go_into_a_pipe_by_sendfile_and_tar_extracts_them_byte_for_byte()
    {
        LabRequirement.Programs("tar");
        var files = CreateFiles();
        var target = Directory.CreateDirectory(Path.Combine(_work, "out")).FullName;
        using var tar = Process.Start(new ProcessStartInfo("tar", ["-xf", "-", "-C", target]) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var stderr = tar.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        var sentByKernel = new List<bool>();
        await using (var pipe = BulkPipe.Writer(tar.StandardInput.BaseStream))
        {
            Assert.AreNotSame(tar.StandardInput.BaseStream, pipe, "no blocking pipe view on this system");
            using var writer = new TarWriter(pipe, TarEntryFormat.Gnu, leaveOpen: true);
            foreach (var (name, _) in files)
            {
                using var data = FileSendStream.Open(Path.Combine(_work, "in", name));
                writer.WriteEntry(Entry(name, data));
                sentByKernel.Add(data.SentByKernel || data.Length == 0);
            }
        }

        tar.StandardInput.Close();
        await tar.WaitForExitAsync(TestContext.CancellationToken);

        Assert.AreEqual(0, tar.ExitCode, await stderr);
        AssertExtracted(files, target);
        Assert.IsTrue(sentByKernel.TrueForAll(s => s), "a file did not go by sendfile");
    }

    [TestMethod]
    [DataRow("tar")]
    [DataRow("busybox")]
    public async Task Into_a_stream_that_is_not_a_pipe_files_are_read_and_written_and_tar_extracts_them_byte_for_byte(string program)
    {
        LabRequirement.Programs(program);
        var files = CreateFiles();
        var archive = Path.Combine(_work, "batch.tar");
        await using (var file = File.Create(archive))
        {
            using var writer = new TarWriter(file, TarEntryFormat.Gnu, leaveOpen: true);
            foreach (var (name, _) in files)
            {
                using var data = FileSendStream.Open(Path.Combine(_work, "in", name));
                writer.WriteEntry(Entry(name, data));
                Assert.IsFalse(data.SentByKernel, "sendfile into a file that FileStream writes at its own offsets");
            }
        }

        var target = Directory.CreateDirectory(Path.Combine(_work, "out")).FullName;
        string[] arguments = program == "busybox" ? ["tar", "-xf", archive, "-C", target] : ["-xf", archive, "-C", target];
        using var tar = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var stderr = await tar.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        await tar.WaitForExitAsync(TestContext.CancellationToken);

        Assert.AreEqual(0, tar.ExitCode, stderr);
        AssertExtracted(files, target);
    }

    [TestMethod]
    [DataRow(true, DisplayName = "into a pipe (sendfile)")]
    [DataRow(false, DisplayName = "into a file (reads and writes)")]
    public async Task A_file_that_shrank_after_it_was_opened_fails_the_copy_and_says_which(bool pipe)
    {
        var path = Path.Combine(_work, "shrinking.bin");
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(300_000), TestContext.CancellationToken);
        using var data = FileSendStream.Open(path);
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(100_000);
        }

        var error = await CopyFailsAsync(data, pipe);

        Assert.Contains(path, error.Message);
        Assert.Contains("changed size while it was being sent (300000 bytes when its transfer began, 100000 now)", error.Message);
        Assert.AreEqual(200_000L, error.Unsent, "what the header promised and never came");
    }

    [TestMethod]
    [DataRow(true, DisplayName = "into a pipe (sendfile)")]
    [DataRow(false, DisplayName = "into a file (reads and writes)")]
    public async Task A_file_that_grew_after_it_was_opened_fails_the_copy_and_says_which(bool pipe)
    {
        var path = Path.Combine(_work, "growing.bin");
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(1024), TestContext.CancellationToken);
        using var data = FileSendStream.Open(path);
        await using (var file = new FileStream(path, FileMode.Append, FileAccess.Write))
        {
            await file.WriteAsync(new byte[4096], TestContext.CancellationToken);
        }

        var error = await CopyFailsAsync(data, pipe);

        Assert.Contains(path, error.Message);
        Assert.Contains("(1024 bytes when its transfer began, 5120 now)", error.Message);
        Assert.AreEqual(0L, error.Unsent, "the promised bytes went out; the growth was not sent");
    }

    [TestMethod]
    public void A_file_that_cannot_be_opened_says_which()
    {
        var path = Path.Combine(_work, "missing.bin");

        var error = Assert.Throws<SourceFileException>(() => FileSendStream.Open(path));

        Assert.Contains("cannot read " + path, error.Message);
        Assert.IsNull(error.Unsent);
    }

    private async Task<SourceFileException> CopyFailsAsync(FileSendStream data, bool pipe)
    {
        if (!pipe)
        {
            await using var file = File.Create(Path.Combine(_work, "copy.bin"));
            return Assert.Throws<SourceFileException>(() => data.CopyTo(file));
        }

        using var cat = Process.Start(new ProcessStartInfo("sh", ["-c", "cat > /dev/null"]) { RedirectStandardInput = true, UseShellExecute = false })!;
        SourceFileException error;
        await using (var view = BulkPipe.Writer(cat.StandardInput.BaseStream))
        {
            error = Assert.Throws<SourceFileException>(() => data.CopyTo(view));
        }

        cat.StandardInput.Close();
        await cat.WaitForExitAsync(TestContext.CancellationToken);
        return error;
    }

    private List<(string Name, byte[] Content)> CreateFiles()
    {
        var files = Sizes.Select(size => ($"f{size}.bin", RandomNumberGenerator.GetBytes(size))).ToList();

        // Over 100 bytes: the GNU format gives it a long-name entry of its own before the file's header.
        files.Add((string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 5)) + "/long.bin", RandomNumberGenerator.GetBytes(70_000)));
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(_work, "in", name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }

        return files;
    }

    private static GnuTarEntry Entry(string name, FileSendStream data) =>
        new(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            ModificationTime = DateTimeOffset.UtcNow,
        };

    private static void AssertExtracted(List<(string Name, byte[] Content)> files, string target)
    {
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(target, name);
            Assert.IsTrue(File.Exists(path), name + " was not extracted");
            CollectionAssert.AreEqual(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(path)), name + " differs");
        }
    }
}
