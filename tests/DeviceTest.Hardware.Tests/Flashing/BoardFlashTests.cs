using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Flashing;
using DeviceTest.Lab;
using DeviceTest.Lab.Flash;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Flashing;

/// <summary>
/// <c>flash: { disk, mux }</c> on a board (not a station): the board is switched off before the mux goes to the host,
/// and switched on and waited for through its boot strategy after the mux went back. The board is the lab's real sshd;
/// its power is a pair of shell commands that log into the mux's log, so the order of every switch is visible.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class BoardFlashTests
{
    private CardAndImage _lab = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void MakeCardAndImage()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen");
        _lab = CardAndImage.Create(16L << 20, 6L << 20, "os.wic");
    }

    [TestCleanup]
    public void Remove() => _lab.Dispose();

    [TestMethod]
    public async Task The_board_is_off_while_its_card_is_written_and_comes_up_through_its_boot_strategy()
    {
        await FlashImages.RunToolAsync("gzip", "-k", _lab.Image);
        await using var ssh = await SshBoard.StartAsync(TestContext.CancellationToken);
        await using var board = Board(ssh, off: $"echo off >> {_lab.Card.MuxLog}");
        var progress = new RecordedProgress();

        var outcome = await board.Flash!.FlashAsync(_lab.Image + ".gz", progress, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "off", "host", "dut", "on" }, _lab.Card.MuxSwitches.ToArray(), "power off, mux to host, mux back, power on");
        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_lab.Image, TestContext.CancellationToken), _lab.Card.Read(6L << 20));
        Assert.IsTrue(outcome.Booted, outcome.Summary);
        Assert.IsTrue(outcome.Verified);
        CollectionAssert.IsSubsetOf(new[] { FlashStage.PowerOff, FlashStage.MuxToHost, FlashStage.Write, FlashStage.MuxToDevice, FlashStage.Boot }, progress.Stages.ToArray());
        var after = await board.RunAsync(new CommandRequest(CommandLine.FromShell("echo up")), TestContext.CancellationToken);
        Assert.AreEqual("up\n", after.Stdout, "the board answers over SSH after the flash");
    }

    [TestMethod]
    public async Task A_board_that_cannot_be_switched_off_is_not_written()
    {
        await using var ssh = await SshBoard.StartAsync(TestContext.CancellationToken);
        await using var board = Board(ssh, off: "echo 'relay 3: no answer' >&2; exit 1");

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => board.Flash!.FlashAsync(_lab.Image, null, TestContext.CancellationToken));

        Assert.AreEqual(FlashFailure.Unreachable, e.Failure);
        Assert.AreEqual(FlashStage.PowerOff, e.Stage);
        StringAssert.Contains(e.Message, "'board' could not be switched off");
        StringAssert.Contains(e.Message, "relay 3: no answer");
        Assert.AreEqual(0, _lab.Card.MuxSwitches.Count, "the mux was never switched to a card the board may be using");
    }

    [TestMethod]
    public async Task A_vendor_command_flashes_the_board_which_is_then_power_cycled_and_comes_up()
    {
        await using var ssh = await SshBoard.StartAsync(TestContext.CancellationToken);
        var vendor = new FlashConfig { Command = $"echo uuu {FlashConfig.ImagePlaceholder} >> {_lab.Card.MuxLog}; echo 'Done 100%'" };
        await using var board = Board(ssh, off: $"echo off >> {_lab.Card.MuxLog}", vendor);
        var progress = new RecordedProgress();

        var outcome = await board.Flash!.FlashAsync(_lab.Image, progress, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "uuu " + _lab.Image, "off", "on" }, _lab.Card.MuxSwitches.ToArray(), "the tool, then a power cycle");
        CollectionAssert.Contains(progress.Messages.ToArray(), "  Done 100%", "the tool's output, line by line");
        Assert.IsTrue(outcome.Booted, outcome.Summary);
        Assert.IsFalse(outcome.Verified, "what a vendor tool wrote is not read back");
    }

    private IDevice Board(SshBoard ssh, string off, FlashConfig? flash = null) => DeviceFactory.Create(new DeviceConfig
    {
        Name = "board",
        Ssh = ssh.CreateDeviceConfig("board").Ssh,
        Power = new PowerConfig { Command = new CommandPowerConfig { On = $"echo on >> {_lab.Card.MuxLog}", Off = off } },
        Flash = flash ?? _lab.Flash(),
    });
}
