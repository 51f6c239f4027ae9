using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Flashing;
using DeviceTest.Lab;
using DeviceTest.Lab.Flash;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Flashing;

/// <summary>
/// <c>lab: { ssh: ... }</c>: the mux commands, the medium probe and the write run on the lab host (the lab's real
/// sshd) with standard tools only; the image travels compressed over the SSH channel.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class LabHostFlashTests
{
    private LoopMedium _card = null!;
    private string _folder = null!;
    private string _image = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void MakeCardAndImage()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen");
        _card = LoopMedium.Create(32L << 20);
        _folder = Directory.CreateTempSubdirectory("dt-labflash-").FullName;
        _image = FlashImages.MakeSparse(_folder, "os.wic", (12L << 20) + 777);
    }

    [TestCleanup]
    public void Remove()
    {
        _card.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [TestMethod]
    public async Task The_lab_host_writes_only_the_mapped_ranges_of_an_xz_image_and_checks_them_against_the_map()
    {
        await FlashImages.RunToolAsync("bmaptool", "-q", "create", "-o", Path.Combine(_folder, "os.wic.bmap"), _image);
        await FlashImages.RunToolAsync("xz", "-k", "-T2", _image);
        await using var lab = await SshBoard.StartAsync(TestContext.CancellationToken);
        await using var station = Station(lab);
        var messages = new List<string>();

        var outcome = await station.Flash!.FlashAsync(_image + ".xz", new Collect(messages), TestContext.CancellationToken);

        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_image, TestContext.CancellationToken), _card.Read(new FileInfo(_image).Length));
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _card.MuxSwitches.ToArray(), "the mux ran on the lab host");
        Assert.IsTrue(outcome.Verified);
        Assert.IsTrue(outcome.BytesWritten < (4L << 20), $"{outcome.BytesWritten} bytes: only the mapped ranges");
        Assert.IsTrue(messages.Any(m => m.Contains("to lab host ssh", StringComparison.Ordinal)), string.Join("\n", messages));
        StringAssert.Contains(lab.Log, "Accepted publickey");
    }

    [TestMethod]
    public async Task The_lab_host_writes_a_raw_image_and_verifies_it_by_reading_it_back()
    {
        await using var lab = await SshBoard.StartAsync(TestContext.CancellationToken);
        await using var station = Station(lab);

        var outcome = await station.Flash!.FlashAsync(_image, null, TestContext.CancellationToken);

        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_image, TestContext.CancellationToken), _card.Read(new FileInfo(_image).Length));
        Assert.AreEqual(new FileInfo(_image).Length, outcome.BytesWritten);
        Assert.IsTrue(outcome.Verified);
    }

    [TestMethod]
    public async Task A_corrupt_image_fails_on_the_lab_host_with_the_decompressor_s_word_and_the_mux_goes_back()
    {
        await FlashImages.RunToolAsync("zstd", "-q", "-k", _image);
        var bytes = await File.ReadAllBytesAsync(_image + ".zst", TestContext.CancellationToken);
        bytes[bytes.Length / 2] ^= 0xFF;
        bytes[(bytes.Length / 2) + 1] ^= 0xFF;
        await File.WriteAllBytesAsync(_image + ".zst", bytes, TestContext.CancellationToken);
        await using var lab = await SshBoard.StartAsync(TestContext.CancellationToken);
        await using var station = Station(lab);

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => station.Flash!.FlashAsync(_image + ".zst", null, TestContext.CancellationToken));

        Assert.AreEqual(FlashFailure.WriteFailed, e.Failure, e.Message);
        StringAssert.Contains(e.Message, "on lab host");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _card.MuxSwitches.ToArray());
    }

    private IDevice Station(SshBoard lab) => DeviceFactory.Create(new DeviceConfig
    {
        Name = "lab-station",
        Lab = new LabConfig { Ssh = lab.CreateDeviceConfig().Ssh! },
        Flash = new FlashConfig
        {
            Disk = _card.CardPath,
            Mux = new MuxConfig { Host = _card.MuxHost, Dut = _card.MuxDut },
            Settle = TimeSpan.FromMilliseconds(100),
            Timeout = TimeSpan.FromSeconds(20),
        },
    });

    private sealed class Collect(List<string> messages) : IProgress<FlashProgress>
    {
        public void Report(FlashProgress value)
        {
            if (value.Message is { } message)
            {
                lock (messages)
                {
                    messages.Add(message);
                }
            }
        }
    }
}
