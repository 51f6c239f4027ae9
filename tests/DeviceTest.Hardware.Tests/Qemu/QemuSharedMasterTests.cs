using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.Qemu;

/// <summary>
/// The shared ControlMaster and a board that reboots behind its back (the lab's QEMU board, dropbear behind QEMU's
/// port forward): a device object made after the reboot (another process, say) must get a working connection to the
/// new boot, not the dead master of the old one.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class QemuSharedMasterTests
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_device_object_made_after_the_board_rebooted_reaches_the_new_boot()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(5));
        await using var board = await QemuBoard.StartAsync(cancellationToken: deadline.Token);
        await board.WaitForSshAsync(Boot, deadline.Token);
        var config = new DeviceConfig
        {
            Name = "qemu-ssh",
            Ssh = new SshConfig
            {
                Host = "127.0.0.1",
                Port = board.SshPort,
                User = "root",
                Identity = QemuBoard.KeyPath,
                Options = new Dictionary<string, string> { ["StrictHostKeyChecking"] = "no", ["UserKnownHostsFile"] = "/dev/null" },
            },
        };
        string before;
        await using (var first = new SshDevice(config))
        {
            before = (await first.RunAsync(CommandRequest.Shell("cat /proc/sys/kernel/random/boot_id"), deadline.Token)).Stdout;
        }

        // The master the first object left stays up (shared); the board resets without it knowing.
        await board.Machine.Qmp.SystemResetAsync(deadline.Token);
        await board.Console.ExpectAsync(QemuBoard.Banner, Boot, deadline.Token);
        await board.Console.ExpectAsync(QemuBoard.Prompt, Boot, deadline.Token);
        Assert.AreEqual(2, board.Console.Count(QemuBoard.Banner), "the board booted a second time");
        await board.WaitForSshAsync(Boot, deadline.Token);

        await using var second = new SshDevice(config);
        var after = await second.RunAsync(CommandRequest.Shell("cat /proc/sys/kernel/random/boot_id"), deadline.Token);

        Assert.AreEqual(0, after.ExitCode, after.Stderr);
        Assert.AreNotEqual(before, after.Stdout, "the command ran on the new boot");
    }
}
