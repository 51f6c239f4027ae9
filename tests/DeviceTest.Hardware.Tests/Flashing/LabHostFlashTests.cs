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
    private CardAndImage _lab = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void MakeCardAndImage()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen");
        _lab = CardAndImage.Create(32L << 20, (12L << 20) + 777, "os.wic");
    }

    [TestCleanup]
    public void Remove() => _lab.Dispose();

    [TestMethod]
    public async Task The_lab_host_writes_only_the_mapped_ranges_of_an_xz_image_and_checks_them_against_the_map()
    {
        await FlashImages.RunToolAsync("bmaptool", "-q", "create", "-o", Path.Combine(_lab.Folder, "os.wic.bmap"), _lab.Image);
        await FlashImages.RunToolAsync("xz", "-k", "-T2", _lab.Image);
        await using var lab = await SshBoard.StartAsync(TestContext.CancellationToken);
        await using var station = Station(lab);
        var progress = new RecordedProgress();

        var outcome = await station.Flash!.FlashAsync(_lab.Image + ".xz", progress, TestContext.CancellationToken);

        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_lab.Image, TestContext.CancellationToken), _lab.Card.Read(new FileInfo(_lab.Image).Length));
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _lab.Card.MuxSwitches.ToArray(), "the mux ran on the lab host");
        Assert.IsTrue(outcome.Verified);
        Assert.IsTrue(outcome.BytesWritten < (4L << 20), $"{outcome.BytesWritten} bytes: only the mapped ranges");
        Assert.IsTrue(progress.Messages.Any(m => m.Contains("to lab host ssh", StringComparison.Ordinal)), string.Join("\n", progress.Messages));
        StringAssert.Contains(lab.Log, "Accepted publickey");
    }

    [TestMethod]
    public async Task The_lab_host_writes_a_raw_image_and_verifies_it_by_reading_it_back()
    {
        await using var lab = await SshBoard.StartAsync(TestContext.CancellationToken);
        await using var station = Station(lab);

        var outcome = await station.Flash!.FlashAsync(_lab.Image, null, TestContext.CancellationToken);

        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_lab.Image, TestContext.CancellationToken), _lab.Card.Read(new FileInfo(_lab.Image).Length));
        Assert.AreEqual(new FileInfo(_lab.Image).Length, outcome.BytesWritten);
        Assert.IsTrue(outcome.Verified);
    }

    [TestMethod]
    public async Task A_corrupt_image_fails_on_the_lab_host_with_the_decompressor_s_word_and_the_mux_goes_back()
    {
        await FlashImages.RunToolAsync("zstd", "-q", "-k", _lab.Image);
        var bytes = await File.ReadAllBytesAsync(_lab.Image + ".zst", TestContext.CancellationToken);
        bytes[bytes.Length / 2] ^= 0xFF;
        bytes[(bytes.Length / 2) + 1] ^= 0xFF;
        await File.WriteAllBytesAsync(_lab.Image + ".zst", bytes, TestContext.CancellationToken);
        await using var lab = await SshBoard.StartAsync(TestContext.CancellationToken);
        await using var station = Station(lab);

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => station.Flash!.FlashAsync(_lab.Image + ".zst", null, TestContext.CancellationToken));

        Assert.AreEqual(FlashFailure.WriteFailed, e.Failure, e.Message);
        StringAssert.Contains(e.Message, "on lab host");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _lab.Card.MuxSwitches.ToArray());
    }

    private IDevice Station(SshBoard lab) => DeviceFactory.Create(new DeviceConfig
    {
        Name = "lab-station",
        Lab = new LabConfig { Ssh = lab.CreateDeviceConfig().Ssh! },
        Flash = _lab.Flash(),
    });
}
