using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Lab.Power;
using DeviceTest.Lab.Serial;

namespace DeviceTest.Hardware.Tests.Boards;

/// <summary>
/// Recovery of a lost serial board through a real pdudaemon: power-cycled once, then the shell is found again (the pty
/// board does not really reboot, so the strategy waits most of the boot timeout for a prompt that comes by itself).
/// </summary>
[TestClass]
public sealed class PowerCycleRecoveryTests
{
    [TestMethod]
    public async Task A_lost_serial_board_is_power_cycled_through_pdudaemon_and_reported_back()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var pdu = await PdudaemonLab.StartAsync(cts.Token);
        await using var pty = await PtyShellBoard.StartAsync();
        var board = (Board)DeviceFactory.Create(new DeviceConfig
        {
            Name = "pdu-board",
            Serial = new SerialConfig { Port = pty.TtyPath },
            Shell = new ShellConfig { Prompt = PtyShellBoard.PromptPattern, BootTimeout = TimeSpan.FromSeconds(8) },
            Power = new PowerConfig
            {
                Pdudaemon = new PdudaemonConfig { Url = pdu.Url, Hostname = PdudaemonLab.PduHostname, Port = 4, CycleDelay = TimeSpan.Zero },
            },
        });
        await using (board)
        {
            await board.EnsureReadyAsync(TimeSpan.FromSeconds(30), cts.Token);
            CollectionAssert.AreEqual(new[] { "on 4" }, await WaitForStatesAsync(pdu, 1, cts.Token), "the first bring-up switches the power on");

            var error = await board.Strategy.RecoverAsync(new DeviceLostException("device lost: no answer"), cts.Token);

            StringAssert.StartsWith(error.Message, "device lost: no answer; power-cycled (pdudaemon lab-pdu port 4 at ");
            StringAssert.Contains(error.Message, "and the device was back after");
            CollectionAssert.AreEqual(new[] { "on 4", "off 4", "on 4" }, await WaitForStatesAsync(pdu, 3, cts.Token));
            var result = await board.RunAsync("echo back", cts.Token);
            Assert.AreEqual("back\n", result.Stdout);
        }
    }

    /// <summary>pdudaemon runs requests from a queue: wait until the PDU has written <paramref name="count"/> lines.</summary>
    private static async Task<string[]> WaitForStatesAsync(PdudaemonLab pdu, int count, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (pdu.ReadStates().Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, cancellationToken);
        }

        return [.. pdu.ReadStates()];
    }
}
