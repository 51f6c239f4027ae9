using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Tests.Qemu;

[TestClass]
public sealed class QemuCommandLineTests
{
    private static readonly QemuPaths Paths = new("/k/vmlinuz", "/k/initrd", null, "/t/qmp.sock", "/t/qemu.pid", "/t/console.sock");

    private static string Build(QemuConfig config, string? accel = "tcg", QemuPaths? paths = null) =>
        string.Join(' ', QemuCommandLine.Build(config, accel, paths ?? Paths, "/t/serial.log", "devicetest-b", paused: false));

    [TestMethod]
    public void X86_board_gets_kernel_serial_and_qmp_on_private_sockets_and_no_nic_without_forwards()
    {
        var args = Build(new QemuConfig { Kernel = "k", Initrd = "i", Append = "console=ttyS0 quiet", Memory = 512, Cpus = 2 });

        Assert.AreEqual("qemu-system-x86_64", QemuCommandLine.Binary(new QemuConfig()));
        StringAssert.StartsWith(args, "-name devicetest-b -nodefaults -no-user-config -display none -accel tcg -device VGA -m 512 -smp 2");
        StringAssert.Contains(args, "-kernel /k/vmlinuz -initrd /k/initrd -append console=ttyS0 quiet");
        StringAssert.Contains(args, "-chardev socket,id=serial0,path=/t/console.sock,server=on,wait=off");
        Assert.DoesNotContain("host=127.0.0.1", args, "no TCP port for the console: every local user could reach it");
        StringAssert.Contains(args, "-serial chardev:serial0");
        StringAssert.Contains(args, "-qmp unix:/t/qmp.sock,server=on,wait=off -pidfile /t/qemu.pid");
        Assert.IsFalse(args.Contains("-netdev", StringComparison.Ordinal), args);
        Assert.IsFalse(args.Contains("-machine", StringComparison.Ordinal), args);
    }

    [TestMethod]
    public void Every_board_gets_a_headless_display_and_a_keyboard_unless_its_extra_arguments_bring_a_display()
    {
        var x86 = Build(new QemuConfig());
        var q35 = Build(new QemuConfig { Machine = "q35" });
        var arm64 = Build(new QemuConfig { Arch = "aarch64" });
        var own = Build(new QemuConfig { ExtraArgs = ["-vga", "cirrus"] });
        var microvm = Build(new QemuConfig { Machine = "microvm" });

        StringAssert.Contains(x86, "-display none");
        StringAssert.Contains(x86, "-device VGA");
        StringAssert.Contains(q35, "-device VGA");
        StringAssert.Contains(arm64, "-device virtio-gpu-pci -device virtio-keyboard-pci");
        Assert.IsFalse(own.Contains("-device VGA", StringComparison.Ordinal), own);
        Assert.IsFalse(microvm.Contains("-device VGA", StringComparison.Ordinal), "a machine without PCI gets nothing: " + microvm);
    }

    [TestMethod]
    public void Forwards_add_user_networking_and_a_virtio_nic()
    {
        var args = Build(new QemuConfig { Forwards = ["tcp:127.0.0.1:2222-:22", "tcp:127.0.0.1:8080-:80"] });

        StringAssert.Contains(
            args,
            "-netdev user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=tcp:127.0.0.1:8080-:80 -device virtio-net-pci,netdev=net0,romfile=");
    }

    [TestMethod]
    public void Aarch64_uses_the_virt_machine_and_a_cortex_a57()
    {
        var config = new QemuConfig { Arch = "arm64" };
        var args = Build(config);

        Assert.AreEqual("qemu-system-aarch64", QemuCommandLine.Binary(config));
        StringAssert.Contains(args, "-machine virt -cpu cortex-a57");
    }

    [TestMethod]
    public void Aarch64_under_tcg_boots_the_debian_arm64_kernel_on_virt_with_its_pl011_as_the_socket_serial()
    {
        var args = QemuCommandLine.Build(
            new QemuConfig { Arch = "aarch64", Append = "console=ttyAMA0 quiet", Forwards = ["tcp:127.0.0.1:2222-:22"] },
            "tcg", Paths with { Overlay = "/t/overlay.qcow2" }, "/t/serial.log", "devicetest-b", paused: true);
        var text = string.Join(' ', args);

        StringAssert.StartsWith(text, "-name devicetest-b -nodefaults -no-user-config -display none -machine virt -cpu cortex-a57 -accel tcg");
        StringAssert.Contains(text, "-kernel /k/vmlinuz -initrd /k/initrd -append console=ttyAMA0 quiet");
        StringAssert.Contains(text, "-drive file=/t/overlay.qcow2,format=qcow2,if=virtio");
        StringAssert.Contains(text, "-device virtio-net-pci,netdev=net0,romfile=");
        StringAssert.Contains(text, "-serial chardev:serial0");
        Assert.AreEqual(1, args.Count(a => a == "-serial"), "the virt machine has one pl011: serial0 is it");
    }

    [TestMethod]
    public void Aarch64_with_kvm_follows_the_host_cpu_and_gic()
    {
        StringAssert.Contains(Build(new QemuConfig { Arch = "aarch64" }, accel: "kvm"), "-machine virt,gic-version=max -cpu max -accel kvm");
        StringAssert.Contains(
            Build(new QemuConfig { Arch = "aarch64", ExtraArgs = ["-accel", "kvm"] }), "-machine virt,gic-version=max -cpu max -device virtio-gpu-pci -device virtio-keyboard-pci -m");
        StringAssert.Contains(
            Build(new QemuConfig { Arch = "aarch64", ExtraArgs = ["-machine", "accel=kvm:tcg"] }), "-machine virt,gic-version=max -cpu max -device virtio-gpu-pci -device virtio-keyboard-pci -m");
        StringAssert.Contains(
            Build(new QemuConfig { Arch = "aarch64", ExtraArgs = ["-cpu", "cortex-a72"] }), "-machine virt -accel tcg");
        StringAssert.Contains(
            Build(new QemuConfig { Arch = "aarch64", Machine = "virt,highmem=off" }, accel: null), "-machine virt,highmem=off -cpu cortex-a57");
    }

    [TestMethod]
    public void A_kvm_from_the_environment_is_used_only_for_guests_of_the_host_arch()
    {
        Assert.AreEqual("kvm", QemuCommandLine.ChooseAccelerator(null, "kvm", "x86_64", "x86_64"));
        Assert.AreEqual("tcg", QemuCommandLine.ChooseAccelerator(null, "kvm", "aarch64", "x86_64"));
        Assert.AreEqual("kvm", QemuCommandLine.ChooseAccelerator(null, "kvm", "arm64", "aarch64"));
        Assert.AreEqual("kvm", QemuCommandLine.ChooseAccelerator("kvm", null, "aarch64", "x86_64"), "an explicit choice stays");
        Assert.AreEqual("tcg", QemuCommandLine.ChooseAccelerator(null, null, "aarch64", "aarch64"));
        Assert.AreEqual("tcg", QemuCommandLine.ChooseAccelerator(null, string.Empty, "x86_64", "x86_64"));
        Assert.AreEqual("x86_64", QemuCommandLine.NormalizeArch("X64"), "RuntimeInformation's name for the host");
        Assert.AreEqual("aarch64", QemuCommandLine.NormalizeArch("Arm64"));
    }

    [TestMethod]
    public void Extra_args_come_last_and_an_accel_there_replaces_ours()
    {
        var args = Build(new QemuConfig { ExtraArgs = ["-accel", "kvm", "-cpu", "host"], Machine = "q35" });

        StringAssert.EndsWith(args, "-accel kvm -cpu host");
        Assert.AreEqual(1, args.Split(' ').Count(a => a == "-accel"), args);
        StringAssert.Contains(args, "-machine q35");
    }

    [TestMethod]
    public void A_disk_is_attached_through_its_overlay_with_commas_escaped()
    {
        var args = Build(new QemuConfig(), paths: Paths with { Overlay = "/t/a,b/overlay.qcow2" });

        StringAssert.Contains(args, "-drive file=/t/a,,b/overlay.qcow2,format=qcow2,if=virtio");
    }

    [TestMethod]
    public void Paused_start_adds_S()
    {
        var args = QemuCommandLine.Build(new QemuConfig(), null, Paths, "/l", "n", paused: true);

        CollectionAssert.Contains(args, "-S");
        CollectionAssert.DoesNotContain(args, "-accel");
    }

    [TestMethod]
    public async Task A_missing_kernel_is_reported_with_the_setting_and_path()
    {
        await using var machine = new QemuMachine(
            new QemuConfig { Kernel = "no-such-vmlinuz" },
            new QemuMachineOptions { Name = "board1", BaseDirectory = "/nonexistent-dir", RuntimeDirectory = Path.GetTempPath() + "/dt-rt-" + Guid.NewGuid() });

        var e = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(() => machine.StartAsync(CancellationToken.None));

        StringAssert.Contains(e.Message, "board1");
        StringAssert.Contains(e.Message, "qemu.kernel");
        StringAssert.Contains(e.Message, "/nonexistent-dir/no-such-vmlinuz");
    }
}
