using DeviceTest.Lab.Flash;

namespace DeviceTest.Tasks.Tests;

/// <summary>
/// The <c>DeviceImage</c> item and the <c>FlashDevice</c> target against a flashing station whose card is a loop
/// device behind a mux of shell commands: flashed before deploy, skipped with <c>-p:DeviceTestFlash=false</c>, and
/// a coded error naming the image or the device when it cannot be done.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class FlashDeviceTests : IDisposable
{
    private LoopMedium _card = null!;
    private TempProject _project = null!;
    private string _image = null!;

    [TestInitialize]
    public void MakeStation()
    {
        _card = LoopMedium.Create(16L << 20);
        _project = new TempProject();
        _image = FlashImages.MakeSparse(_project.Directory, "os.wic", 6L << 20);
        WriteStation(_card.MuxHost);
    }

    public void Dispose()
    {
        _card.Dispose();
        _project.Dispose();
    }

    [TestMethod]
    public async Task Deploy_flashes_the_device_image_first_with_its_progress_in_the_build_log()
    {
        await FlashImages.RunToolAsync("xz", "-k", "-T2", _image);
        _project.Extra = "<ItemGroup><DeviceImage Include=\"os.wic.xz\" /></ItemGroup>";

        var run = await _project.RunAsync("-t:DeployToDevice", "-p:Device=station");

        Expect.Succeeded(run);
        StringAssert.Contains(run.Output, "FlashDevice: os.wic.xz to 'station' (disk " + _card.CardPath);
        StringAssert.Contains(run.Output, "write: 6.0 MiB of 6.0 MiB at");
        StringAssert.Contains(run.Output, "FlashDevice: 'station': 6.0 MiB image, 6.0 MiB written");
        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_image), _card.Read(6L << 20));
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _card.MuxSwitches.ToArray());
    }

    [TestMethod]
    public async Task DeviceTestFlash_false_skips_the_flash_for_a_fast_inner_loop()
    {
        _project.Extra = "<ItemGroup><DeviceImage Include=\"os.wic\" /></ItemGroup>";

        var run = await _project.RunAsync("-t:DeployToDevice", "-p:Device=station", "-p:DeviceTestFlash=false");

        Expect.Succeeded(run);
        Assert.IsFalse(run.Output.Contains("FlashDevice:", StringComparison.Ordinal), run.Output);
        Assert.AreEqual(0, _card.MuxSwitches.Count);
    }

    [TestMethod]
    public async Task A_missing_image_is_a_coded_error_at_the_image()
    {
        _project.Extra = "<ItemGroup><DeviceImage Include=\"gone.wic.xz\" /></ItemGroup>";

        var run = await _project.RunAsync("-t:FlashDevice", "-p:Device=station");

        Expect.FailedWith(run, "DT2061", Path.Combine(_project.Directory, "gone.wic.xz"));
        StringAssert.Contains(run.Output, "failed at step 'image': image " + Path.Combine(_project.Directory, "gone.wic.xz") + " does not exist");
        Expect.NoStackTrace(run);
    }

    [TestMethod]
    public async Task A_failing_mux_is_a_coded_error_with_its_stderr()
    {
        WriteStation("echo \"usbsdmux: /dev/sg1: no such device\" >&2; exit 1");
        _project.Extra = "<ItemGroup><DeviceImage Include=\"os.wic\" /></ItemGroup>";

        var run = await _project.RunAsync("-t:FlashDevice", "-p:Device=station");

        Expect.FailedWith(run, "DT2063", "'station'", "usbsdmux: /dev/sg1: no such device");
    }

    [TestMethod]
    public async Task A_device_that_cannot_be_flashed_is_a_coded_error_that_says_what_to_add()
    {
        _project.Extra = "<ItemGroup><DeviceImage Include=\"os.wic\" /></ItemGroup>";

        var run = await _project.RunAsync("-t:FlashDevice");

        Expect.FailedWith(run, "DT2060", "device 'local' cannot be flashed");
    }

    private void WriteStation(string muxHost) => _project.WriteDevicesFile($$"""
        devices:
          station:
            flash:
              disk: {{_card.CardPath}}
              mux: { host: '{{muxHost}}', dut: '{{_card.MuxDut}}' }
        """);
}
