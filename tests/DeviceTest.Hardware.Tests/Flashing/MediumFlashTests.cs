using System.Globalization;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Flashing;
using DeviceTest.Lab.Flash;

namespace DeviceTest.Hardware.Tests.Flashing;

/// <summary>
/// The disk + mux sequence on real parts: a loop device stands in for the SD card, the mux is a pair of shell
/// commands that attach and detach it (and log what they did). A flashing station (only <c>flash:</c>) is flashed
/// and stops after the mux. Every failure after the mux went to the host puts it back to the device side.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class MediumFlashTests
{
    private const long CardSize = 32L << 20;
    private CardAndImage _lab = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void MakeCardAndImage() => _lab = CardAndImage.Create(CardSize, 16L << 20);

    [TestCleanup]
    public void Remove() => _lab.Dispose();

    [TestMethod]
    public async Task A_station_is_flashed_through_its_mux_and_the_card_holds_the_image()
    {
        await FlashImages.RunToolAsync("xz", "-k", "-T2", _lab.Image);
        await FlashImages.RunToolAsync("bmaptool", "-q", "create", "-o", Path.Combine(_lab.Folder, "os.img.bmap"), _lab.Image);
        var progress = new RecordedProgress();
        await using var station = Station();

        var outcome = await station.Flash!.FlashAsync(_lab.Image + ".xz", progress, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "host", "dut" }, _lab.Card.MuxSwitches.ToArray());
        Assert.AreEqual(0, _lab.Card.AttachedDevices().Count, "the dut side detached the card");
        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_lab.Image, TestContext.CancellationToken), _lab.Card.Read(16L << 20));
        Assert.IsTrue(outcome.Verified);
        Assert.IsFalse(outcome.Booted, "a station stops after the mux");
        StringAssert.Contains(outcome.Summary, "(block map)");
        CollectionAssert.IsSubsetOf(
            new[] { FlashStage.Image, FlashStage.MuxToHost, FlashStage.WaitForMedium, FlashStage.Write, FlashStage.Verify, FlashStage.MuxToDevice },
            progress.Stages.ToArray());
    }

    [TestMethod]
    public async Task A_medium_that_never_appears_fails_naming_its_path_and_the_mux_goes_back()
    {
        await using var station = Station(host: $"echo host >> {_lab.Card.MuxLog}", timeout: TimeSpan.FromSeconds(2));

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => station.Flash!.FlashAsync(_lab.Image, null, TestContext.CancellationToken));

        Assert.AreEqual(FlashFailure.Unreachable, e.Failure);
        Assert.AreEqual(FlashStage.WaitForMedium, e.Stage);
        StringAssert.Contains(e.Message, $"{_lab.Card.CardPath} did not appear on this machine within 2 s");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _lab.Card.MuxSwitches.ToArray());
    }

    [TestMethod]
    public async Task A_failing_mux_command_fails_with_its_stderr_and_the_dut_side_is_still_asked_for()
    {
        await using var station = Station(host: $"echo host >> {_lab.Card.MuxLog}; echo 'usbsdmux: no such device /dev/sg1' >&2; exit 4");

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => station.Flash!.FlashAsync(_lab.Image, null, TestContext.CancellationToken));

        Assert.AreEqual(FlashFailure.Unreachable, e.Failure);
        Assert.AreEqual(FlashStage.MuxToHost, e.Stage);
        StringAssert.Contains(e.Message, "failed with exit code 4: usbsdmux: no such device /dev/sg1");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _lab.Card.MuxSwitches.ToArray());
    }

    [TestMethod]
    [DataRow(false, "the image is")]
    [DataRow(true, "its block map {0}.bmap says the image is")] // gzip does not say its size up front; the map's ImageSize does
    public async Task An_image_or_block_map_larger_than_the_medium_is_refused_before_a_byte_is_written(bool gzipWithMap, string says)
    {
        var big = FlashImages.MakeSparse(_lab.Folder, "big.img", CardSize + (1L << 20));
        if (gzipWithMap)
        {
            await FlashImages.RunToolAsync("bmaptool", "-q", "create", "-o", big + ".bmap", big);
            await FlashImages.RunToolAsync("gzip", big);
        }

        await using var station = Station();

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => station.Flash!.FlashAsync(gzipWithMap ? big + ".gz" : big, null, TestContext.CancellationToken));

        Assert.AreEqual(FlashFailure.BadImage, e.Failure);
        StringAssert.Contains(e.Message, $"refused before writing: {string.Format(CultureInfo.InvariantCulture, says, big)} {CardSize + (1L << 20)} bytes");
        StringAssert.Contains(e.Message, "larger than " + _lab.Card.CardPath);
        Assert.IsTrue(_lab.Card.Read(1 << 20).All(b => b == 0), "nothing was written");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _lab.Card.MuxSwitches.ToArray());
    }

    [TestMethod]
    public async Task A_compressed_image_that_turns_out_larger_than_the_medium_fails_the_write_without_hanging()
    {
        // gzip does not say its size up front, so this is found by the write running off the end of the card.
        var big = FlashImages.MakeSparse(_lab.Folder, "big.img", CardSize + (4L << 20));
        await FlashImages.RunToolAsync("gzip", big);
        await using var station = Station();

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => station.Flash!.FlashAsync(big + ".gz", null, TestContext.CancellationToken))
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.CancellationToken);

        Assert.AreEqual(FlashFailure.WriteFailed, e.Failure, e.Message);
        StringAssert.Contains(e.Message, $"writing {_lab.Card.CardPath} at byte");
        StringAssert.Contains(e.Message, "the medium is incomplete");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _lab.Card.MuxSwitches.ToArray());
    }

    [TestMethod]
    public async Task A_card_mounted_here_is_refused_before_a_byte_is_written()
    {
        // A file system on the whole card (a "superfloppy"): this container scans no partitions on loop devices, so
        // the partitions' branch of the check (the same mountinfo test on each /sys/class/block/<card>/<partition>)
        // cannot be made to happen here.
        var device = _lab.Card.Attach();
        var mountPoint = Path.Combine(_lab.Folder, "mnt");
        Directory.CreateDirectory(mountPoint);
        LoopMedium.Shell($"mkfs.ext4 -q -F {device} && mount {device} {mountPoint}");
        try
        {
            await using var station = Station(withMux: false);

            var e = await Assert.ThrowsExactlyAsync<FlashException>(() => station.Flash!.FlashAsync(_lab.Image, null, TestContext.CancellationToken));

            Assert.AreEqual(FlashFailure.Refused, e.Failure);
            StringAssert.Contains(e.Message, $"refused before writing: {_lab.Card.CardPath} is in use on this machine: {device} is mounted on {mountPoint}");
        }
        finally
        {
            LoopMedium.Shell($"umount {mountPoint}");
        }

        Assert.IsTrue(_lab.Card.Read(1024).All(b => b == 0), "nothing was written (ext4 leaves its first 1 KiB zero; the image starts with data)");
    }

    [TestMethod]
    public async Task Cancelling_a_write_stops_within_seconds_and_the_mux_goes_back()
    {
        var slow = FlashImages.MakeSparse(_lab.Folder, "slow.img", 30L << 20);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var writing = new TaskCompletionSource();
        await using var station = Station();
        var progress = new RecordedProgress(p =>
        {
            if (p.Stage == FlashStage.Write && p.Bytes > 0)
            {
                writing.TrySetResult();
            }
        });

        var flash = station.Flash!.FlashAsync(slow, progress, cancel.Token);
        await writing.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.CancellationToken);
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => flash);
        Assert.IsTrue(stopped.Elapsed < TimeSpan.FromSeconds(10), $"stopped after {stopped.Elapsed}");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _lab.Card.MuxSwitches.ToArray());
    }

    private IDevice Station(string? host = null, TimeSpan? timeout = null, bool withMux = true) => DeviceFactory.Create(new DeviceConfig
    {
        Name = "station",
        Flash = _lab.Flash(host, timeout, withMux),
    });
}
