using System.Diagnostics;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Keyboards;
using DeviceTest.Hardware.Networking;
using DeviceTest.Hardware.Qemu;
using DeviceTest.Hardware.Screens;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.Qemu;

/// <summary>
/// The lab's x86-64 QEMU board's screen, keyboard and cable with no configuration: screendump of the VGA text
/// console, keys typed into the shell on tty1 (checked over the serial console), set_link seen in eth0's carrier.
/// One board for the class (QEMU tests are few and one at a time).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class QemuScreenKeysNetworkTests
{
    /// <summary>A shell command that returns once a process has tty1 as its standard input.</summary>
    private const string Tty1ShellRuns = "while ! ls -l /proc/[0-9]*/fd/0 2>/dev/null | grep -q tty1; do sleep 0.2; done";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static CancellationTokenSource Deadline() => new(TimeSpan.FromMinutes(3));

    private static async Task<(QemuBoard Board, DeviceCapabilities Capabilities)> StartAsync(
        CancellationToken cancellationToken, QemuBoardImage? image = null)
    {
        var board = await QemuBoard.StartAsync(image ?? QemuBoardImage.X64, cancellationToken: cancellationToken);
        var capabilities = DeviceCapabilities.Create(new DeviceConfig { Name = "lab-board", Qemu = board.Machine.Config }, board.Machine);
        return (board, capabilities);
    }

    /// <summary>Runs a command on the serial console and waits for its marker (<c>marker-42</c>, which its echo does not show).</summary>
    private static async Task<string> SerialAsync(QemuBoard board, string command, string marker, CancellationToken cancellationToken)
    {
        await board.Console.WriteLineAsync($"{command}; echo {marker}-$((40+2))", cancellationToken);
        await board.Console.ExpectAsync($"{marker}-42", Wait, cancellationToken);
        return board.Console.Text;
    }

    /// <summary>
    /// Waits until the shell on tty1 runs (keys typed before it opens tty1 are lost), then for a screen that holds
    /// still (two frames in a row alike): under load the shell's banner can come seconds after the console's prompt.
    /// </summary>
    private static async Task<ScreenImage> SettledScreenAsync(QemuBoard board, IScreen screen, CancellationToken cancellationToken)
    {
        await SerialAsync(board, Tty1ShellRuns, "tty1", cancellationToken);
        var previous = ScreenImage.Decode(await screen.CaptureAsync(cancellationToken), "frame");
        while (true)
        {
            await Task.Delay(500, cancellationToken);
            var frame = ScreenImage.Decode(await screen.CaptureAsync(cancellationToken), "frame");
            if (ScreenReference.Create("previous", previous, null, null).Compare(frame).Similarity >= 0.99)
            {
                return frame;
            }

            previous = frame;
        }
    }

    [TestMethod]
    public async Task Keys_typed_on_the_board_run_in_the_tty1_shell_and_show_on_its_720x400_screen()
    {
        using var cts = Deadline();
        var (board, capabilities) = await StartAsync(cts.Token);
        await using var _ = board;
        await using var __ = capabilities;
        var screen = capabilities.Screen!;
        var before = await SettledScreenAsync(board, screen, cts.Token);
        var reference = Path.Combine(Path.GetTempPath(), $"devicetest-qemu-ref-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(reference, before.ToPng(), cts.Token);
        try
        {
            var same = await screen.WaitForAsync(reference, TimeSpan.FromSeconds(20), cancellationToken: cts.Token);

            await capabilities.Keyboard!.TypeAsync("echo \"Hi!\" $((6*7)) > /tmp/typed\n", cts.Token);
            await SerialAsync(board, "while [ ! -s /tmp/typed ]; do sleep 0.2; done; cat /tmp/typed", "typed", cts.Token);
            var changed = await Assert.ThrowsExactlyAsync<ScreenMismatchException>(
                () => screen.WaitForAsync(reference, TimeSpan.FromSeconds(2), cancellationToken: cts.Token));

            Assert.AreEqual("720x400", before.Size, "the VGA text console");
            Assert.IsGreaterThan(0.96, same.Similarity);
            StringAssert.Contains(board.Console.Text, "Hi! 42");
            StringAssert.Contains(changed.Message, "the screen did not match");
            Assert.IsNotNull(changed.LastComparison?.DifferenceBox, changed.Message);
            Assert.IsLessThan(200, changed.LastComparison.DifferenceBox.Value.Y, "the typed line is near the top: " + changed.Message);
        }
        finally
        {
            File.Delete(reference);
        }
    }

    [TestMethod]
    public async Task Set_link_down_drops_eth0s_carrier_and_the_cut_is_put_back()
    {
        using var cts = Deadline();
        var (board, capabilities) = await StartAsync(cts.Token);
        await using var _ = board;
        await using var __ = capabilities;
        var link = capabilities.Network!;
        const string Carrier = "echo \"carrier:$(cat /sys/class/net/eth0/carrier):\"";

        await using (await link.CutAsync(cts.Token))
        {
            await SerialAsync(board, Carrier, "down", cts.Token);
        }

        await SerialAsync(board, Carrier, "up", cts.Token);

        var text = board.Console.Text;
        var down = text[..text.IndexOf("down-42", StringComparison.Ordinal)];
        var up = text[down.Length..];
        StringAssert.Contains(down, "carrier:0:");
        Assert.IsFalse(down.Contains("carrier:1:", StringComparison.Ordinal), down);
        StringAssert.Contains(up, "carrier:1:");
        Assert.IsTrue(link.IsUp);
        Assert.AreEqual("QEMU set_link net0 (lab-board)", link.Description);
    }

    [TestMethod]
    public async Task On_the_arm64_board_keys_reach_tty1_and_the_cable_works_and_the_screen_shows_qemus_placeholder()
    {
        using var cts = Deadline();
        var (board, capabilities) = await StartAsync(cts.Token, QemuBoardImage.Arm64);
        await using var _ = board;
        await using var __ = capabilities;

        await SerialAsync(board, Tty1ShellRuns, "tty1", cts.Token);
        await capabilities.Keyboard!.TypeAsync("echo \"arm-$((6*7))!\" > /tmp/typed\n", cts.Token);
        await SerialAsync(board, "while [ ! -s /tmp/typed ]; do sleep 0.2; done; cat /tmp/typed", "typed", cts.Token);
        await capabilities.Network!.SetLinkAsync(false, cts.Token);
        await SerialAsync(board, "echo \"carrier:$(cat /sys/class/net/eth0/carrier):\"", "down", cts.Token);
        var frame = ScreenImage.Decode(await capabilities.Screen!.CaptureAsync(cts.Token), "frame");

        StringAssert.Contains(board.Console.Text, "arm-42!");
        StringAssert.Contains(board.Console.Text, "carrier:0:");

        // Debian's cloud-arm64 kernel has no DRM driver, so the virtio GPU shows QEMU's "not initialized" picture.
        Assert.AreEqual("640x480", frame.Size);
    }

    [TestMethod]
    public async Task A_board_that_is_not_running_has_a_screen_keyboard_and_cable_that_say_so()
    {
        using var cts = Deadline();
        var config = QemuBoard.Config(sshPort: 2222);
        await using var machine = new QemuMachine(config, new QemuMachineOptions { Name = "off-board" });
        await using var capabilities = DeviceCapabilities.Create(new DeviceConfig { Name = "off-board", Qemu = config }, machine);
        var started = Stopwatch.StartNew();

        var screen = await Assert.ThrowsExactlyAsync<ScreenException>(() => capabilities.Screen!.CaptureAsync(cts.Token));
        var keys = await Assert.ThrowsExactlyAsync<KeyboardException>(() => capabilities.Keyboard!.PressAsync("ret", cts.Token));
        var link = await Assert.ThrowsExactlyAsync<NetworkLinkException>(() => capabilities.Network!.SetLinkAsync(false, cts.Token));

        StringAssert.Contains(screen.Message, "QEMU is not running, so there is no screen to capture");
        StringAssert.Contains(keys.Message, "QEMU is not running, so no key can be sent");
        StringAssert.Contains(link.Message, "QEMU is not running, so its link cannot be set");
        Assert.IsLessThan(5, started.Elapsed.TotalSeconds);
    }
}
