using System.Diagnostics;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Lab;
using DeviceTest.Hardware.Screens;
using DeviceTest.Lab;

namespace DeviceTest.Hardware.Tests.Screens;

/// <summary>
/// The capture-command screen with real programs: ffmpeg's lavfi test sources as the capture card, python's HTTP
/// server as a snapshot URL; and what a user sees when the command fails, hangs or writes something else.
/// </summary>
[TestClass]
public sealed class CommandScreenTests
{
    private const string TestPattern = "ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc=size=320x240:rate=1 -frames:v 1 -y {output}";
    private const string Bars = "ffmpeg -hide_banner -loglevel error -f lavfi -i smptebars=size=320x240:rate=1 -frames:v 1 -y {output}";

    private string _folder = string.Empty;

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("devicetest-screen-").FullName;
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static (CommandScreen Screen, LabHost Lab) Screen(string command, TimeSpan? timeout = null)
    {
        var lab = new LabHost("bench", null);
        return (new CommandScreen(lab, new ScreenConfig { Command = command, Timeout = timeout ?? TimeSpan.FromSeconds(30) }), lab);
    }

    [TestMethod]
    public async Task A_capture_command_gives_a_png_frame_and_a_jpeg_one_is_converted()
    {
        LabRequirement.Programs("ffmpeg");
        var (screen, lab) = Screen(TestPattern);
        await using var _ = lab;
        var (jpegScreen, jpegLab) = Screen(TestPattern.Replace("-y {output}", "-f mjpeg -y {output}", StringComparison.Ordinal));
        await using var __ = jpegLab;

        var png = await screen.CaptureAsync(CancellationToken.None);
        var fromJpeg = await jpegScreen.CaptureAsync(CancellationToken.None);

        Assert.AreEqual("320x240", ScreenImage.Decode(png, "frame").Size);
        Assert.AreEqual(0x89, fromJpeg[0], "PNG, converted from the JPEG ffmpeg wrote");
        Assert.AreEqual("320x240", ScreenImage.Decode(fromJpeg, "frame").Size);
        StringAssert.Contains(screen.Description, "capture command on this machine");
    }

    [TestMethod]
    public async Task Waiting_for_a_reference_matches_the_same_picture_and_explains_a_different_one()
    {
        LabRequirement.Programs("ffmpeg");
        var (screen, lab) = Screen(TestPattern);
        await using var _ = lab;
        var reference = Path.Combine(_folder, "pattern.png");
        await File.WriteAllBytesAsync(reference, await screen.CaptureAsync(CancellationToken.None));
        var (bars, barsLab) = Screen(Bars);
        await using var __ = barsLab;

        var match = await screen.WaitForAsync(reference, TimeSpan.FromSeconds(20));
        var started = Stopwatch.StartNew();
        var mismatch = await Assert.ThrowsExactlyAsync<ScreenMismatchException>(() => bars.WaitForAsync(reference, TimeSpan.FromSeconds(2)));
        var files = mismatch.SaveEvidence(_folder);

        Assert.AreEqual(1.0, match.Similarity);
        Assert.IsLessThan(10, started.Elapsed.TotalSeconds, "bounded by the timeout");
        StringAssert.Contains(mismatch.Message, "the screen did not match pattern.png within 2s");
        StringAssert.Contains(mismatch.Message, "best similarity 0.");
        StringAssert.Contains(mismatch.Message, "threshold 0.960");
        StringAssert.Contains(mismatch.Message, "compared pixels");
        StringAssert.Contains(mismatch.Message, "all within x=");
        Assert.IsGreaterThanOrEqualTo(1, mismatch.Frames);
        CollectionAssert.AreEqual(new[] { "screen-last.png", "screen-difference.png" }, files.Select(Path.GetFileName).ToArray());
        Assert.AreEqual("320x240", (await ScreenImage.LoadAsync(files[1], CancellationToken.None)).Size);
    }

    [TestMethod]
    public async Task A_reference_of_another_size_is_explained_and_an_unreadable_one_fails_at_once()
    {
        LabRequirement.Programs("ffmpeg");
        var (screen, lab) = Screen(TestPattern);
        await using var _ = lab;
        var small = Path.Combine(_folder, "small.png");
        await File.WriteAllBytesAsync(small, new ScreenImage(8, 8, new byte[256]).ToPng());
        var broken = Path.Combine(_folder, "broken.png");
        await File.WriteAllTextAsync(broken, "not a png");

        var sizes = await Assert.ThrowsExactlyAsync<ScreenMismatchException>(() => screen.WaitForAsync(small, TimeSpan.FromSeconds(1)));
        var unreadable = await Assert.ThrowsExactlyAsync<ScreenException>(() => screen.WaitForAsync(broken, TimeSpan.FromSeconds(30)));
        var missing = await Assert.ThrowsExactlyAsync<ScreenException>(() => screen.WaitForAsync(Path.Combine(_folder, "none.png"), TimeSpan.FromSeconds(30)));

        StringAssert.Contains(sizes.Message, "every frame was 320x240, but the reference is 8x8");
        Assert.AreEqual(0, sizes.SaveEvidence(_folder, "sizes-").Count(f => f.EndsWith("difference.png", StringComparison.Ordinal)));
        StringAssert.Contains(unreadable.Message, "broken.png is not an image DeviceTest reads");
        StringAssert.Contains(missing.Message, "cannot read");
    }

    [TestMethod]
    public async Task A_failing_capture_command_says_its_exit_code_and_error_output()
    {
        var (screen, lab) = Screen("echo no such video device >&2; exit 3; true {output}");
        await using var _ = lab;

        var error = await Assert.ThrowsExactlyAsync<ScreenException>(() => screen.CaptureAsync(CancellationToken.None));

        Assert.AreEqual(
            "device 'bench': the screen capture command `echo no such video device >&2; exit 3; true {output}` on this machine failed with exit code 3: no such video device",
            error.Message);
    }

    [TestMethod]
    public async Task A_hanging_capture_command_is_killed_after_its_timeout()
    {
        var (screen, lab) = Screen("sleep 60; true {output}", TimeSpan.FromSeconds(1));
        await using var _ = lab;
        var started = Stopwatch.StartNew();

        var error = await Assert.ThrowsExactlyAsync<ScreenException>(() => screen.CaptureAsync(CancellationToken.None));

        StringAssert.Contains(error.Message, "did not finish within 1s and was killed");
        Assert.IsLessThan(15, started.Elapsed.TotalSeconds);
    }

    [TestMethod]
    public async Task A_command_that_writes_nothing_or_no_image_is_reported()
    {
        var (nothing, lab1) = Screen("true {output}");
        await using var _ = lab1;
        var (text, lab2) = Screen("echo hello > {output}");
        await using var __ = lab2;

        var empty = await Assert.ThrowsExactlyAsync<ScreenException>(() => nothing.CaptureAsync(CancellationToken.None));
        var notImage = await Assert.ThrowsExactlyAsync<ScreenException>(() => text.CaptureAsync(CancellationToken.None));

        StringAssert.Contains(empty.Message, "exited 0 but wrote nothing to {output}");
        StringAssert.Contains(notImage.Message, "is not an image DeviceTest reads");
    }

    [TestMethod]
    public async Task A_snapshot_url_is_fetched_with_curl()
    {
        LabRequirement.Programs("python3", "curl");
        var frame = new ScreenImage(4, 2, Enumerable.Repeat((byte)200, 32).ToArray()).ToPng();
        await File.WriteAllBytesAsync(Path.Combine(_folder, "snapshot.png"), frame);
        using var port = LoopbackPort.Reserve();
        var info = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-m", "http.server", "--bind", "127.0.0.1", "--directory", _folder, port.ToString() })
        {
            info.ArgumentList.Add(a);
        }

        using var server = Process.Start(info)!;
        try
        {
            await using var lab = new LabHost("bench", null);
            var screen = new CommandScreen(lab, new ScreenConfig { Url = new Uri($"http://127.0.0.1:{port.Number}/snapshot.png"), Timeout = TimeSpan.FromSeconds(10) });
            byte[]? captured = null;
            for (var attempt = 0; captured is null; attempt++)
            {
                try
                {
                    captured = await screen.CaptureAsync(CancellationToken.None);
                }
                catch (ScreenException) when (attempt < 50)
                {
                    await Task.Delay(100); // the server is still starting
                }
            }

            CollectionAssert.AreEqual(frame, captured);
            StringAssert.Contains(screen.Description, "snapshot URL on this machine");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
