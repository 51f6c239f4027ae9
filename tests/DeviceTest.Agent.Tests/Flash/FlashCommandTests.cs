using System.Diagnostics;
using System.Text.RegularExpressions;
using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab;
using DeviceTest.Lab.Flash;

namespace DeviceTest.Agent.Tests.Flash;

/// <summary>
/// <c>devicetest flash</c>, the <c>flash</c> spec step and <c>devicetest validate</c> against a flashing station whose
/// card is a loop device behind a mux of shell commands: what users see, and each exit code of docs/flash.md.
/// </summary>
[TestClass]
[DoNotParallelize]
[TestCategory(DevicetestBinary.Category)]
public sealed class FlashCommandTests : IDisposable
{
    private LoopMedium _card = null!;
    private WorkFolder _work = null!;
    private string _image = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void MakeStation()
    {
        _card = LoopMedium.Create(24L << 20);
        _work = new WorkFolder();
        _image = FlashImages.MakeSparse(_work.Path, "os.wic", 10L << 20);
        WriteDevices(_card.MuxHost);
    }

    public void Dispose()
    {
        _card.Dispose();
        _work.Dispose();
    }

    [TestMethod]
    public async Task Flash_writes_the_image_with_plain_progress_lines_and_exits_0()
    {
        await FlashImages.RunToolAsync("zstd", "-q", "-k", _image);

        var run = (await _work.RunAsync("flash", "os.wic.zst", "--device", "station", "--devices", "devices.yml")).ExpectExit(0);

        StringAssert.Contains(run.Stdout, "devicetest: flashing 'station' (disk " + _card.CardPath);
        StringAssert.Matches(run.Stdout, new Regex(@"  WRITE    10 MiB  \d+ MiB/s"), run.Stdout);
        StringAssert.Contains(run.Stdout, "  VERIFY   reading 10 MiB back from");
        StringAssert.Contains(run.Stdout, "devicetest: flashed 'station': 10 MiB image, 10 MiB written");
        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_image, TestContext.CancellationToken), _card.Read(10L << 20));
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _card.MuxSwitches.ToArray());
    }

    [TestMethod]
    public async Task On_a_terminal_writing_and_verifying_are_one_status_line_each_with_bytes_speed_and_time_left()
    {
        // script(1) gives devicetest a real terminal (a pty) and copies what it wrote there.
        LabRequirement.Programs("script");
        var words = DevicetestBinary.CommandLine(DeviceTestProcess.DotnetHost).Concat(["flash", "os.wic", "--device", "station", "--devices", "devices.yml"]);
        var command = string.Join(' ', words.Select(w => "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

        var (code, terminal) = await RunInTerminalAsync(command);

        Assert.AreEqual(0, code, terminal);
        StringAssert.Matches(terminal, new Regex(@"\r  WRITE    10 MiB / 10 MiB  [\d.]+ [MG]iB/s  0m00s left"), terminal);
        StringAssert.Matches(terminal, new Regex(@"\r  VERIFY   10 MiB / 10 MiB  [\d.]+ [MG]iB/s  0m00s left"), terminal);
        Assert.IsFalse(Regex.IsMatch(terminal, @"\n  WRITE    \d"), "no plain progress lines on a terminal: " + terminal);
        StringAssert.Contains(terminal, "devicetest: flashed 'station': 10 MiB image, 10 MiB written");
    }

    [TestMethod]
    public async Task No_verify_skips_the_read_back()
    {
        var run = (await _work.RunAsync("flash", "os.wic", "--device", "station", "--devices", "devices.yml", "--no-verify")).ExpectExit(0);

        Assert.IsFalse(run.Stdout.Contains("VERIFY", StringComparison.Ordinal), run.Stdout);
        StringAssert.Contains(run.Stdout, ", not verified");
    }

    [TestMethod]
    public async Task A_missing_image_exits_2_naming_the_step_and_the_file()
    {
        var run = (await _work.RunAsync("flash", "gone.wic.xz", "--device", "station", "--devices", "devices.yml")).ExpectExit(2).ExpectNoStackTrace();

        StringAssert.Contains(run.Stderr, $"flash of 'station' failed at step 'image': image {_work.File("gone.wic.xz")} does not exist");
        Assert.AreEqual(0, _card.MuxSwitches.Count, "nothing was switched for an image that is not there");
    }

    [TestMethod]
    public async Task A_corrupt_stream_exits_1_saying_where_it_broke_and_that_the_medium_is_incomplete()
    {
        await FlashImages.RunToolAsync("gzip", "-k", _image);
        var bytes = await File.ReadAllBytesAsync(_image + ".gz", TestContext.CancellationToken);
        Array.Fill(bytes, (byte)0x42, bytes.Length / 3, 200);
        await File.WriteAllBytesAsync(_image + ".gz", bytes, TestContext.CancellationToken);

        var run = (await _work.RunAsync("flash", "os.wic.gz", "--device", "station", "--devices", "devices.yml")).ExpectExit(1).ExpectNoStackTrace();

        StringAssert.Matches(run.Stderr, new Regex(@"failed at step 'write': image .*os\.wic\.gz: the gzip stream is corrupt at or before compressed byte \d+"), run.Stderr);
        StringAssert.Contains(run.Stderr, "the medium is incomplete");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _card.MuxSwitches.ToArray());
    }

    [TestMethod]
    public async Task A_medium_that_never_appears_exits_3_naming_its_path()
    {
        WriteDevices($"echo host >> {_card.MuxLog}", timeout: "2s");

        var run = (await _work.RunAsync("flash", "os.wic", "--device", "station", "--devices", "devices.yml")).ExpectExit(3).ExpectNoStackTrace();

        StringAssert.Contains(run.Stderr, $"failed at step 'wait for the medium': wait for the medium: {_card.CardPath} did not appear on this machine within 2 s");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _card.MuxSwitches.ToArray());
    }

    [TestMethod]
    public async Task A_card_mounted_on_this_machine_exits_2_and_nothing_is_written()
    {
        // A card reader that is always attached (no mux), its card mounted here: refused before a byte is written.
        var device = _card.Attach();
        var mountPoint = Directory.CreateDirectory(_work.File("mnt")).FullName;
        LoopMedium.Shell($"mkfs.ext4 -q -F {device} && mount {device} {mountPoint}");
        _work.Write("reader.yml", $$"""
            devices:
              reader:
                flash: { disk: {{_card.CardPath}} }
            """);
        try
        {
            var run = (await _work.RunAsync("flash", "os.wic", "--device", "reader", "--devices", "reader.yml")).ExpectExit(2).ExpectNoStackTrace();

            StringAssert.Contains(run.Stderr, $"refused before writing: {_card.CardPath} is in use on this machine: {device} is mounted on {mountPoint}");
        }
        finally
        {
            LoopMedium.Shell($"umount {mountPoint}");
        }

        Assert.IsTrue(_card.Read(1024).All(b => b == 0), "nothing was written (ext4 leaves its first 1 KiB zero; the image starts with data)");
    }

    [TestMethod]
    public async Task A_failing_mux_exits_3_with_its_stderr()
    {
        WriteDevices("echo 'usbsdmux: /dev/sg1: permission denied' >&2; exit 1");

        var run = (await _work.RunAsync("flash", "os.wic", "--device", "station", "--devices", "devices.yml")).ExpectExit(3);

        StringAssert.Contains(run.Stderr, "failed at step 'mux to host'");
        StringAssert.Contains(run.Stderr, "usbsdmux: /dev/sg1: permission denied");
    }

    [TestMethod]
    public async Task A_device_without_flash_exits_2_and_says_what_to_add()
    {
        var run = (await _work.RunAsync("flash", "os.wic")).ExpectExit(2);

        StringAssert.Contains(run.Stderr, "device 'local' cannot be flashed: give it a `flash` section");
    }

    [TestMethod]
    public async Task Ctrl_c_stops_within_seconds_says_the_medium_is_incomplete_and_the_mux_goes_back()
    {
        WriteDevices($"echo host >> {_card.MuxLog}", timeout: "2m");
        using var process = DeviceTestProcess.Start(_work.Path, ["flash", "os.wic", "--device", "station", "--devices", "devices.yml"]);
        process.WaitForLine(l => l.Contains("MEDIUM", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the wait for the medium");
        var stopped = Stopwatch.StartNew();

        process.Signal("INT");
        var run = await process.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.IsTrue(stopped.Elapsed < TimeSpan.FromSeconds(10), $"stopped after {stopped.Elapsed}");
        Assert.AreEqual(1, run.ExitCode, run.Both);
        StringAssert.Contains(run.Stderr, "stopped at step 'wait for the medium'; the medium is incomplete");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, _card.MuxSwitches.ToArray());
    }

    [TestMethod]
    public async Task A_vendor_command_gets_the_image_and_its_output_is_shown_line_by_line()
    {
        var written = _work.File("written.img");
        _work.Write("vendor.yml", $$"""
            devices:
              vendor-board:
                flash: { command: "echo flashing {image}; cp {image} {{written}}; echo 'done, 100%'" }
            """);

        var run = (await _work.RunAsync("flash", "os.wic", "--device", "vendor-board", "--devices", "vendor.yml")).ExpectExit(0);

        StringAssert.Contains(run.Stdout, $"  COMMAND    flashing {_image}");
        StringAssert.Contains(run.Stdout, "  COMMAND    done, 100%");
        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_image, TestContext.CancellationToken), await File.ReadAllBytesAsync(written, TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task A_failing_vendor_command_exits_3_with_its_stderr()
    {
        _work.Write("vendor.yml", """
            devices:
              vendor-board:
                flash: { command: "echo 'uuu: no device found' >&2; exit 2; : {image}" }
            """);

        var run = (await _work.RunAsync("flash", "os.wic", "--device", "vendor-board", "--devices", "vendor.yml")).ExpectExit(3).ExpectNoStackTrace();

        StringAssert.Contains(run.Stderr, "failed at step 'flash command'");
        StringAssert.Contains(run.Stderr, "failed with exit code 2: uuu: no device found");
    }

    [TestMethod]
    public async Task A_flash_step_in_a_spec_writes_the_image_relative_to_the_spec_then_the_tests_run()
    {
        _work.Write("specs/provision.spec.yml", $$"""
            name: provision
            sequence:
              - flash: { image: ../os.wic, timeout: 5m }
              - tests:
                  - name: card-holds-the-image
                    command: cmp -n {{10L << 20}} {{_image}} {{_card.BackingFile}}
            """);

        var run = (await _work.RunAsync("run", "specs/provision.spec.yml", "--device", "station", "--devices", "devices.yml", "--junit", "junit.xml")).ExpectExit(0);

        StringAssert.Contains(run.Stdout, "FLASH os.wic (");
        StringAssert.Contains(run.Stdout, "FLASH flashed: 10 MiB image");
        StringAssert.Contains(run.Stdout, "PASS  provision > card-holds-the-image");
    }

    [TestMethod]
    public async Task A_failed_flash_step_fails_the_run_and_every_later_test()
    {
        _work.Write("bad.spec.yml", """
            sequence:
              - flash: { image: missing.wic.xz }
              - tests:
                  - name: never-runs
                    command: "true"
            """);

        var run = (await _work.RunAsync("run", "bad.spec.yml", "--device", "station", "--devices", "devices.yml", "--junit", "junit.xml")).ExpectExit(1);

        StringAssert.Contains(run.Stdout, "FAIL  bad > flash");
        StringAssert.Contains(run.Stdout, "FAIL  bad > never-runs");
        var junit = _work.Xml("junit.xml").ToString();
        StringAssert.Contains(junit, "step 'image' failed: image");
    }

    [TestMethod]
    public async Task A_flash_step_that_outlives_its_timeout_is_stopped_and_fails()
    {
        _work.Write("vendor.yml", """
            devices:
              vendor-board:
                flash: { command: "echo writing {image}; sleep 120" }
            """);
        _work.Write("slow.spec.yml", """
            name: slow
            sequence:
              - flash: { image: os.wic, timeout: 2s }
              - tests:
                  - name: never-runs
                    command: "true"
            """);
        var stopwatch = Stopwatch.StartNew();

        var run = (await _work.RunAsync("run", "slow.spec.yml", "--device", "vendor-board", "--devices", "vendor.yml")).ExpectExit(1).ExpectNoStackTrace();

        Assert.IsTrue(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"took {stopwatch.Elapsed}");
        StringAssert.Contains(run.Stdout, "FAIL  slow > flash");
        StringAssert.Contains(run.Both, "did not finish within 2s (the step's `timeout`); the medium is incomplete");
        StringAssert.Contains(run.Stdout, "FAIL  slow > never-runs");
    }

    [TestMethod]
    public async Task Validate_checks_the_flash_step()
    {
        _work.Write("v.spec.yml", """
            sequence:
              - flash: { image: later.wic.xz, verfy: false }
            """);

        var run = await _work.RunAsync("validate", "v.spec.yml");

        Assert.AreEqual(2, run.ExitCode, run.Both);
        StringAssert.Contains(run.Both, "v.spec.yml:2:35: error DT0020");
        StringAssert.Contains(run.Both, "warning DT0045: flash image");
    }

    private async Task<(int Code, string Terminal)> RunInTerminalAsync(string command)
    {
        var info = new ProcessStartInfo("script") { WorkingDirectory = _work.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-q", "-e", "-c", command, "/dev/null" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DEVICETEST_LEASES"] = Path.Combine(_work.Path, ".leases");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        await process.WaitForExitAsync(TestContext.CancellationToken).WaitAsync(TimeSpan.FromMinutes(3), TestContext.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    private void WriteDevices(string muxHost, string timeout = "20s")
    {
        var host = muxHost.Replace("\"", "\\\"", StringComparison.Ordinal);
        var dut = _card.MuxDut.Replace("\"", "\\\"", StringComparison.Ordinal);
        _work.Write("devices.yml", $$"""
            devices:
              station:
                flash:
                  disk: {{_card.CardPath}}
                  mux: { host: "{{host}}", dut: "{{dut}}" }
                  timeout: {{timeout}}
            """);
    }
}
