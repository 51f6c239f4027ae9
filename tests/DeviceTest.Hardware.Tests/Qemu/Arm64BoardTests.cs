using System.Diagnostics;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Qemu;
using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.Qemu;

/// <summary>
/// The lab's arm64 board: Debian's cloud-arm64 kernel and an arm64 busybox/dropbear initramfs on
/// qemu-system-aarch64 <c>-machine virt</c> under TCG, console on the pl011 (ttyAMA0). It reaches the shell in
/// about 2 s and reboots in about as long here, so it gets the same kind of tests as the x86_64 board.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class Arm64BoardTests
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(90);

    public TestContext TestContext { get; set; } = null!;

    private static CancellationTokenSource Deadline() => new(TimeSpan.FromMinutes(4));

    [TestMethod]
    public async Task Boots_to_the_console_shell_runs_uname_and_reboots_for_real()
    {
        using var cts = Deadline();
        await QemuBoard.RequireAsync(QemuBoardImage.Arm64, cts.Token);
        var clock = Stopwatch.StartNew();
        await using var board = await QemuBoard.StartAsync(QemuBoardImage.Arm64, cancellationToken: cts.Token);
        TestContext.WriteLine($"arm64 prompt after {clock.Elapsed.TotalSeconds:0.0} s ({board.Machine.Description})");
        TestContext.WriteLine(string.Join(' ', board.Machine.LastCommandLine));
        CollectionAssert.Contains(board.Machine.LastCommandLine.ToList(), "qemu-system-aarch64");
        StringAssert.Contains(board.Console.Text, QemuBoard.Banner);

        await board.Console.WriteLineAsync("uname -m; echo done-$((6*7))", cts.Token);
        var output = await board.Console.ExpectAsync("done-42", Boot, cts.Token);
        StringAssert.Contains(output, "aarch64");
        await board.Console.ExpectAsync(QemuBoard.Prompt, Boot, cts.Token);

        var pid = board.Machine.ProcessId;
        await board.Console.WriteLineAsync("touch /tmp/before-reboot; reboot", cts.Token);
        clock.Restart();
        await board.Console.ExpectAsync("Requesting system reboot", Boot, cts.Token);
        await board.Console.ExpectAsync(QemuBoard.Banner, Boot, cts.Token);
        await board.Console.ExpectAsync(QemuBoard.Prompt, Boot, cts.Token);
        TestContext.WriteLine($"arm64 prompt again {clock.Elapsed.TotalSeconds:0.0} s after reboot");
        Assert.AreEqual(pid, board.Machine.ProcessId, "QEMU itself keeps running across a guest reboot");
        Assert.AreEqual(2, board.Console.Count(QemuBoard.Banner), "the board booted twice");

        await board.Console.WriteLineAsync("test -e /tmp/before-reboot; echo tmp-$?", cts.Token);
        await board.Console.ExpectAsync("tmp-1", Boot, cts.Token);
    }

    [TestMethod]
    public async Task Board_declared_in_devices_yml_with_arch_aarch64_runs_commands_and_reboots()
    {
        using var cts = Deadline();
        await QemuBoard.RequireAsync(QemuBoardImage.Arm64, cts.Token);
        // the docs/devices.md example, with paths relative to the devices file (build/lab/out/devices.yml)
        const string yaml = """
            devices:
              qemu-arm64:
                tags: [arm64]
                qemu: { arch: aarch64, kernel: arm64/Image, initrd: arm64/initramfs.cpio.gz,
                        append: "console=ttyAMA0 quiet", memory: 256 }
                shell: { prompt: '/ # $' }
            """;
        var loaded = DeviceFileLoader.LoadText(yaml, Path.Combine(QemuBoard.OutDirectory, "devices.yml"));
        Assert.IsFalse(loaded.HasErrors, string.Join('\n', loaded.Diagnostics));
        var device = (Board)DeviceFactory.Create(loaded.Find("qemu-arm64")!);
        await using (device)
        {
            var clock = Stopwatch.StartNew();
            await device.EnsureReadyAsync(Boot, cts.Token);
            TestContext.WriteLine($"shell ready after {clock.Elapsed.TotalSeconds:0.0} s ({Boards.LabBoards.Machine(device).Description})");

            var uname = await device.RunAsync("uname -m; hostname", cts.Token);
            Assert.AreEqual(0, uname.ExitCode, uname.Stderr);
            Assert.AreEqual("aarch64\ndevicetest-qemu\n", uname.Stdout);

            await device.RunAsync("touch /tmp/before-reboot", cts.Token);
            var reboot = await device.RebootAsync(null, Boot, cts.Token);
            TestContext.WriteLine($"reboot: {reboot.Details}");
            Assert.IsTrue(reboot.Rebooted, reboot.Details);
            var after = await device.RunAsync("test -e /tmp/before-reboot; echo $?", cts.Token);
            Assert.AreEqual("1\n", after.Stdout, "tmpfs is empty after a real reboot");
        }
    }

    [TestMethod]
    public async Task Ssh_board_runs_commands_through_the_arm64_dropbear_and_reboots_over_ssh()
    {
        using var cts = Deadline();
        await QemuBoard.RequireAsync(QemuBoardImage.Arm64, cts.Token);
        using var reserved = LoopbackPort.Reserve();
        var port = reserved.Number;
        var device = (Board)DeviceFactory.Create(new DeviceConfig
        {
            Name = "qemu-arm64-ssh",
            Qemu = QemuBoard.Config(QemuBoardImage.Arm64, port),
            Shell = new ShellConfig { Prompt = "/ # $", BootTimeout = Boot },
            Ssh = new SshConfig
            {
                Host = "127.0.0.1",
                Port = port,
                User = "root",
                Identity = QemuBoard.KeyPath,
                Options = new Dictionary<string, string> { ["StrictHostKeyChecking"] = "no", ["UserKnownHostsFile"] = "/dev/null" },
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
        });
        await using (device)
        {
            var clock = Stopwatch.StartNew();
            await device.EnsureReadyAsync(Boot, cts.Token);
            TestContext.WriteLine($"ssh ready after {clock.Elapsed.TotalSeconds:0.0} s");

            var result = await device.RunAsync("uname -m; echo err >&2", cts.Token);
            Assert.AreEqual("aarch64\n", result.Stdout);
            Assert.AreEqual("err\n", result.Stderr, "over SSH stderr stays apart");

            var reboot = await device.RebootAsync(null, Boot, cts.Token);
            TestContext.WriteLine($"reboot: {reboot.Details}");
            Assert.IsTrue(reboot.Rebooted, reboot.Details);
            var back = await device.RunAsync("uname -m", cts.Token);
            Assert.AreEqual("aarch64\n", back.Stdout);
        }
    }

    [TestMethod]
    public async Task A_disk_is_a_virtio_disk_on_virt_and_qmp_system_reset_boots_the_board_again()
    {
        using var cts = Deadline();
        await QemuBoard.RequireAsync(QemuBoardImage.Arm64, cts.Token);
        var dir = Directory.CreateTempSubdirectory("devicetest-arm64-disk-");
        try
        {
            var disk = Path.Combine(dir.FullName, "disk.raw");
            await QemuBoardTests.RunAsync("qemu-img", ["create", "-q", "-f", "raw", disk, "4M"], cts.Token);

            await using var board = await QemuBoard.StartAsync(QemuBoardImage.Arm64, disk: disk, cancellationToken: cts.Token);
            await board.Console.WriteLineAsync(
                "echo devicetest-was-here | dd of=/dev/vda conv=fsync 2>/dev/null && head -c 20 /dev/vda; echo; echo disk-$?", cts.Token);
            var output = await board.Console.ExpectAsync("disk-0", Boot, cts.Token);
            StringAssert.Contains(output, "devicetest-was-here", "the guest writes and reads back its virtio disk");

            using var events = board.Machine.Qmp.SubscribeEvents();
            await board.Machine.Qmp.SystemResetAsync(cts.Token);
            Assert.AreEqual("RESET", (await events.WaitForAsync("RESET", cts.Token)).Name);
            await board.Console.ExpectAsync(QemuBoard.Banner, Boot, cts.Token);
            await board.Console.ExpectAsync(QemuBoard.Prompt, Boot, cts.Token);
            Assert.AreEqual(2, board.Console.Count(QemuBoard.Banner));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [TestMethod]
    public void Requirement_names_the_aarch64_program_and_the_arm64_image()
    {
        var image = QemuBoardImage.Arm64;

        Assert.AreEqual("qemu-system-aarch64", image.Program);
        Assert.AreEqual("aarch64", QemuBoard.Config(image, 2222).Arch);
        Assert.AreEqual("console=ttyAMA0 quiet", QemuBoard.Config(image, 2222).Append);
        StringAssert.EndsWith(image.KernelPath, Path.Combine("build", "lab", "out", "arm64", "Image"));
        Assert.AreEqual("qemu-system-aarch64", QemuCommandLine.Binary(QemuBoard.Config(image, 2222)));
    }
}
