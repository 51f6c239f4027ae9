using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Hardware.Tests.Flashing;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Lab;

/// <summary>
/// A board whose <c>lab</c> section serves both its flashing (mux, medium probe, the write) and its network and key
/// commands: one connection to the lab host, one persistent shell there, one object that closes them. The board and
/// the lab host are two real sshd of the lab; the card is a loop device behind a mux of shell commands, and the
/// network and key commands log next to the mux, so the order of everything the lab host did is visible.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class LabConnectionTests
{
    private CardAndImage _card = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void MakeCardAndImage()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid");
        _card = CardAndImage.Create(16L << 20, 6L << 20, "os.wic");
    }

    [TestCleanup]
    public void Remove() => _card.Dispose();

    [TestMethod]
    public async Task A_board_s_flash_network_and_keys_use_one_login_and_one_shell_on_its_lab_host()
    {
        await using var device = await SshBoard.StartAsync(TestContext.CancellationToken);
        await using var lab = await SshBoard.StartAsync(TestContext.CancellationToken);
        var board = DeviceFactory.Create(Config(device, lab));
        try
        {
            await UseLabPartsAsync(board);

            Assert.AreEqual(1, await lab.LoginsSoFarAsync(TestContext.CancellationToken), "one login on the lab host for the flash and the commands");
            var clients = SshClientProcesses.To(lab.Port);
            Assert.AreEqual(1, clients.Masters.Count(), clients.Describe());
            Assert.AreEqual(1, clients.Sessions.Count(), "the mux, the probe, the link and the key ran in one shell on the lab host:\n" + clients.Describe());
        }
        finally
        {
            await board.DisposeAsync();
        }

        // The shared master stays for the run's other processes (ControlPersist); the board's own processes are gone.
        var left = SshClientProcesses.To(lab.Port);
        Assert.AreEqual(0, left.Clients.Count - left.Masters.Count(), "no session is left after the board is disposed:\n" + left.Describe());
        KillMasters(left);
    }

    [TestMethod]
    public async Task Without_shared_masters_a_board_s_lab_parts_log_in_once_and_leave_no_ssh_behind()
    {
        await using var device = await SshBoard.StartAsync(TestContext.CancellationToken);
        await using var lab = await SshBoard.StartAsync(TestContext.CancellationToken);
        IDevice board;
        Environment.SetEnvironmentVariable(SshControlSocket.ShareVariable, "0");
        try
        {
            board = DeviceFactory.Create(Config(device, lab));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SshControlSocket.ShareVariable, null);
        }

        try
        {
            await UseLabPartsAsync(board);

            Assert.AreEqual(1, await lab.LoginsSoFarAsync(TestContext.CancellationToken), "one private master serves the flash and the commands");
        }
        finally
        {
            await board.DisposeAsync();
        }

        var stopwatch = Stopwatch.StartNew();
        while (SshClientProcesses.To(lab.Port).Clients.Count > 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, TestContext.CancellationToken);
        }

        var left = SshClientProcesses.To(lab.Port);
        KillMasters(left);
        Assert.AreEqual(0, left.Clients.Count, "disposing the board closed its private master and sessions:\n" + left.Describe());
    }

    /// <summary>Flashes the card (mux, probe and write on the lab host), cuts the cable and presses a key meanwhile.</summary>
    private async Task UseLabPartsAsync(IDevice device)
    {
        var board = (Board)device;
        var outcome = await board.Flash!.FlashAsync(_card.Image, null, TestContext.CancellationToken);
        await using (await board.Network!.CutAsync(TestContext.CancellationToken))
        {
            await board.Keyboard!.PressAsync("ret", TestContext.CancellationToken);
        }

        Assert.IsTrue(outcome.Verified, outcome.Summary);
        Assert.IsTrue(outcome.Booted, outcome.Summary);
        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_card.Image, TestContext.CancellationToken), _card.Card.Read(6L << 20));
        CollectionAssert.AreEqual(new[] { "host", "dut", "down", "key ret", "up" }, _card.Card.MuxSwitches.ToArray());
    }

    private DeviceConfig Config(SshBoard device, SshBoard lab)
    {
        var log = _card.Card.MuxLog;
        return new DeviceConfig
        {
            Name = "board",
            Ssh = device.CreateDeviceConfig().Ssh,
            Lab = new LabConfig { Ssh = lab.CreateDeviceConfig().Ssh! },
            Flash = _card.Flash(),
            Network = new NetworkConfig { Down = $"echo down >> {log}", Up = $"echo up >> {log}", Timeout = TimeSpan.FromSeconds(20) },
            Keyboard = new KeyboardConfig { Command = $"echo key {{key}} >> {log}", Delay = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(20) },
        };
    }

    /// <summary>Ends what a test left of the lab host's masters, by pid.</summary>
    private static void KillMasters(SshClientProcesses clients)
    {
        foreach (var pid in clients.Masters)
        {
            try
            {
                using var master = Process.GetProcessById(pid);
                master.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                Trace.WriteLine(string.Create(CultureInfo.InvariantCulture, $"master {pid} already gone: {e.Message}"));
            }
        }
    }
}
