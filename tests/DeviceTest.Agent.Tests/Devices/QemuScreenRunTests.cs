using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Agent.Tests.Devices;

/// <summary>
/// The QEMU board's screen, keyboard and cable from <c>devicetest</c> with no screen configuration: a spec types on
/// the keyboard, takes a screenshot and cuts the cable, and the next spec finds it plugged back; the screenshot command
/// writes the 720x400 text console.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class QemuScreenRunTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_spec_types_takes_a_screenshot_and_cuts_the_cable_and_the_next_spec_finds_it_plugged_back()
    {
        using var workspace = await QemuRunTests.QemuWorkspaceAsync();
        using var port = LoopbackPort.Reserve();
        workspace.WriteDevice("qemu-screens", [.. QemuRunTests.QemuLines(port.Number), "shell: { prompt: '/ # $' }"]);
        var screens = workspace.WriteSpec("screens.spec.yml", """
            name: screens
            sequence:
              - tests:
                  - name: the shell on tty1 runs
                    command: 'while ! ls -l /proc/[0-9]*/fd/0 2>/dev/null | grep -q tty1; do sleep 0.2; done'
              - keys: { type: "echo \"typed-$((6*7))!\" > /tmp/typed\n" }
              - tests:
                  - name: typed on tty1
                    command: 'for i in $(seq 40); do [ -s /tmp/typed ] && break; sleep 0.25; done; grep -q "typed-42!" /tmp/typed'
              - screenshot: { name: console }
              - network: { link: down }
              - tests:
                  - name: offline
                    command: 'test "$(cat /sys/class/net/eth0/carrier)" = 0 && test "$DEVICETEST_DEVICE" = qemu-screens'
            """);
        var after = workspace.WriteSpec("after.spec.yml", """
            name: after
            sequence:
              - tests:
                  - name: online again
                    command: 'test "$(cat /sys/class/net/eth0/carrier)" = 1'
            """);

        var run = await workspace.RunAsync("qemu-screens", RunTimeout, screens, after);
        TestContext.WriteLine(run.ToString());

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        JUnitCases.AllPassed(workspace.JUnitFile, 5, run.ToString());
        var shot = Path.Combine(workspace.ResultsDirectory, "screens", "step04-screenshot_console", "console.png");
        Assert.IsTrue(File.Exists(shot), run.ToString());
        Assert.AreEqual("720x400", Hardware.Screens.ScreenImage.Decode(await File.ReadAllBytesAsync(shot, TestContext.CancellationToken), "shot").Size);
    }

    [TestMethod]
    public async Task Screenshot_writes_the_boards_text_console_and_keys_types_on_it()
    {
        using var workspace = await QemuRunTests.QemuWorkspaceAsync();
        workspace.WriteDevice("qemu-shot", [.. QemuRunTests.QemuLines(sshPort: null), "shell: { prompt: '/ # $' }"]);
        var shot = Path.Combine(workspace.Directory, "shots", "console.png");

        var screenshot = await BoardRunProcess.RunAsync(
            workspace.Elsewhere, RunTimeout, "screenshot", "--device", "qemu-shot", "--devices", workspace.DevicesFile, "-o", shot);
        var keys = await BoardRunProcess.RunAsync(
            workspace.Elsewhere, RunTimeout, "keys", "--device", "qemu-shot", "--devices", workspace.DevicesFile, "--press", "ctrl-l", "echo hi\\n");
        TestContext.WriteLine(screenshot.ToString());
        TestContext.WriteLine(keys.ToString());

        Assert.AreEqual(0, screenshot.ExitCode, screenshot.ToString());
        StringAssert.Contains(screenshot.Stdout, "(720x400) from QEMU screendump (qemu-shot)");
        Assert.AreEqual("720x400", Hardware.Screens.ScreenImage.Decode(await File.ReadAllBytesAsync(shot, TestContext.CancellationToken), "shot").Size);
        Assert.AreEqual(0, keys.ExitCode, keys.ToString());
        StringAssert.Contains(keys.Stdout, "pressed ctrl-l and typed 8 characters on device 'qemu-shot' (QEMU send-key (qemu-shot))");
    }
}
