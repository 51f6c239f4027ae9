namespace DeviceTest.Lab.Qemu;

/// <summary>
/// One of the lab's QEMU board images built by build/lab/qemu-board.sh: the same busybox userland and /init for
/// x86_64 (Debian's cloud-amd64 kernel, console ttyS0) and arm64 (Debian's cloud-arm64 kernel on QEMU's
/// <c>virt</c> machine, console ttyAMA0 on its pl011).
/// </summary>
public sealed class QemuBoardImage
{
    private QemuBoardImage(string arch, string console, string kernel, string initrd, string what)
    {
        Arch = arch;
        Console = console;
        KernelFile = kernel;
        InitrdFile = initrd;
        What = what;
    }

    /// <summary>The x86_64 board (qemu-system-x86_64).</summary>
    public static QemuBoardImage X64 { get; } =
        new("x86_64", "ttyS0", "vmlinuz", "initramfs.cpio.gz", "QEMU board image (run build/lab/qemu-board.sh)");

    /// <summary>The arm64 board (qemu-system-aarch64 -machine virt); its parts come from Debian's arm64 packages.</summary>
    public static QemuBoardImage Arm64 { get; } = new(
        "aarch64",
        "ttyAMA0",
        Path.Combine("arm64", "Image"),
        Path.Combine("arm64", "initramfs.cpio.gz"),
        "QEMU arm64 board image (run sudo build/lab/install.sh, which fetches the arm64 packages, then build/lab/qemu-board.sh)");

    /// <summary>The qemu section's <c>arch</c>: x86_64 or aarch64.</summary>
    public string Arch { get; }

    /// <summary>The guest's console tty (the kernel's <c>console=</c>).</summary>
    public string Console { get; }

    /// <summary>The QEMU program the board needs.</summary>
    public string Program => "qemu-system-" + Arch;

    public string KernelPath => Path.Combine(QemuBoard.OutDirectory, KernelFile);

    public string InitrdPath => Path.Combine(QemuBoard.OutDirectory, InitrdFile);

    /// <summary>
    /// The kernel command line the lab uses: the console, quiet; on x86_64 also <c>no_timer_check</c>, since on a loaded
    /// host TCG can run the kernel's IO-APIC timer check too slowly and it panics ("IO-APIC + timer doesn't work").
    /// </summary>
    public string DefaultAppend => Console == "ttyS0" ? $"console={Console} quiet no_timer_check" : $"console={Console} quiet";

    /// <summary>What to call the image in "lab part missing" messages, with how to build it.</summary>
    public string What { get; }

    private string KernelFile { get; }

    private string InitrdFile { get; }

    public override string ToString() => Arch;
}
