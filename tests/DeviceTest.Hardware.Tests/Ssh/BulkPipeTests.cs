using System.Diagnostics;
using System.Security.Cryptography;
using DeviceTest.Hardware.Ssh;

namespace DeviceTest.Hardware.Tests.Ssh;

[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BulkPipeTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_writer_after_async_use_of_the_pipe_delivers_every_byte()
    {
        // An async write first leaves the descriptor non-blocking; a blocking view that kept it so lost data at the
        // first full pipe (EAGAIN), and the device's tar saw "Unexpected EOF in archive".
        var target = Path.Combine(Path.GetTempPath(), "dt-bulkpipe-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var cat = Process.Start(new ProcessStartInfo("sh", ["-c", "exec cat > \"$0\"", target]) { RedirectStandardInput = true, UseShellExecute = false })!;
            var stdin = cat.StandardInput.BaseStream;
            await stdin.WriteAsync("head\n"u8.ToArray(), TestContext.CancellationToken);
            await stdin.FlushAsync(TestContext.CancellationToken);
            var data = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);
            var view = BulkPipe.Writer(stdin);
            Assert.AreNotSame(stdin, view);
            await using (view)
            {
                for (var offset = 0; offset < data.Length; offset += 80 * 1024)
                {
                    await view.WriteAsync(data.AsMemory(offset, Math.Min(80 * 1024, data.Length - offset)), TestContext.CancellationToken);
                }
            }

            await stdin.DisposeAsync();
            await cat.WaitForExitAsync(TestContext.CancellationToken);

            var written = await File.ReadAllBytesAsync(target, TestContext.CancellationToken);
            Assert.AreEqual(data.Length + 5, written.Length);
            CollectionAssert.AreEqual(SHA256.HashData([.. "head\n"u8.ToArray(), .. data]), SHA256.HashData(written));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [TestMethod]
    public async Task A_reader_gets_the_whole_output_of_a_child()
    {
        using var child = Process.Start(new ProcessStartInfo("sh", ["-c", "head -c 8388608 /dev/zero"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var stdout = child.StandardOutput.BaseStream;
        var view = BulkPipe.Reader(stdout);
        long total = 0;
        await using (view)
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await view.ReadAsync(buffer, TestContext.CancellationToken)) > 0)
            {
                total += read;
            }
        }

        await child.WaitForExitAsync(TestContext.CancellationToken);
        Assert.AreEqual(8L * 1024 * 1024, total);
    }

    [TestMethod]
    public async Task A_writer_asked_for_a_larger_pipe_holds_that_much_while_nobody_reads()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", ["60"]) { RedirectStandardInput = true, UseShellExecute = false })!;
        try
        {
            var view = BulkPipe.Writer(sleeper.StandardInput.BaseStream, capacity: 1 << 20);
            await using (view)
            {
                // 64 KiB more than a default pipe holds: the write only finishes if the pipe grew.
                var write = Task.Run(() => view.Write(new byte[(1 << 20) - 4096]), TestContext.CancellationToken);
                var finished = await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(20), TestContext.CancellationToken));
                Assert.AreSame(write, finished, "the write blocked: the pipe kept its default size");
                await write;
            }
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [TestMethod]
    public void Streams_that_are_not_pipes_are_returned_as_they_are()
    {
        using var memory = new MemoryStream();
        Assert.AreSame(memory, BulkPipe.Writer(memory));
        Assert.AreSame(memory, BulkPipe.Reader(memory));
    }
}
