using System.Globalization;
using System.Runtime.InteropServices;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Qemu;

/// <summary>Builds QEMU's argument list from a <see cref="QemuConfig"/>.</summary>
internal static class QemuCommandLine
{
    public static string Binary(QemuConfig config) => config.Binary ?? "qemu-system-" + NormalizeArch(config.Arch);

    public static string NormalizeArch(string arch) => arch.Trim().ToLowerInvariant() switch
    {
        "x86_64" or "amd64" or "x64" => "x86_64",
        "aarch64" or "arm64" => "aarch64",
        var other => other,
    };

    /// <param name="config">The device's qemu section.</param>
    /// <param name="accelerator">The <c>-accel</c> value, or null for none.</param>
    /// <param name="paths">Absolute kernel/initrd paths, the overlay (or null), the QMP and console sockets, the pidfile.</param>
    /// <param name="serialLog">A file QEMU copies all serial output to.</param>
    /// <param name="name">QEMU's -name.</param>
    /// <param name="paused">Start with -S.</param>
    public static List<string> Build(
        QemuConfig config,
        string? accelerator,
        QemuPaths paths,
        string serialLog,
        string name,
        bool paused)
    {
        var arch = NormalizeArch(config.Arch);
        var args = new List<string> { "-name", name, "-nodefaults", "-no-user-config", "-display", "none" };

        // The virt machine's defaults suit TCG: GICv2 and a cortex-a57 (boots about 3x faster under TCG than
        // `max`, whose pointer authentication is expensive to emulate). Hardware acceleration (KVM on an arm64
        // host, HVF) cannot run a cortex-a57 on other cores nor a GICv2 on GICv3-only hosts: `max` and
        // gic-version=max follow the host there.
        var emulated = IsEmulated(config.ExtraArgs, accelerator);
        var machine = config.Machine ?? (arch == "aarch64" ? (emulated ? "virt" : "virt,gic-version=max") : null);
        if (machine is not null)
        {
            args.AddRange(["-machine", machine]);
        }

        if (arch == "aarch64" && !HasOption(config.ExtraArgs, "-cpu"))
        {
            args.AddRange(["-cpu", emulated ? "cortex-a57" : "max"]);
        }

        if (accelerator is not null && !HasOption(config.ExtraArgs, "-accel") && !HasOption(config.ExtraArgs, "-enable-kvm"))
        {
            args.AddRange(["-accel", accelerator]);
        }

        args.AddRange(DisplayAndKeyboard(arch, machine, config.ExtraArgs));
        args.AddRange(["-m", config.Memory.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-smp", config.Cpus.ToString(CultureInfo.InvariantCulture)]);

        if (paths.Kernel is not null)
        {
            args.AddRange(["-kernel", paths.Kernel]);
        }

        if (paths.Initrd is not null)
        {
            args.AddRange(["-initrd", paths.Initrd]);
        }

        if (config.Append is not null)
        {
            args.AddRange(["-append", config.Append]);
        }

        if (paths.Overlay is not null)
        {
            args.AddRange(["-drive", $"file={EscapeOption(paths.Overlay)},format=qcow2,if=virtio"]);
        }

        if (config.Forwards.Count > 0)
        {
            var netdev = "user,id=net0" + string.Concat(config.Forwards.Select(f => ",hostfwd=" + f));
            args.AddRange(["-netdev", netdev, "-device", "virtio-net-pci,netdev=net0,romfile="]);
        }

        // A Unix socket in the run's private folder, as QMP: a TCP port would be open to every local user.
        var serial = $"socket,id=serial0,path={EscapeOption(paths.ConsoleSocket)},server=on,wait=off,logfile={EscapeOption(serialLog)},logappend=on";
        args.AddRange(["-chardev", serial, "-serial", "chardev:serial0"]);
        args.AddRange(["-qmp", $"unix:{EscapeOption(paths.QmpSocket)},server=on,wait=off"]);
        args.AddRange(["-pidfile", paths.PidFile]);
        if (paused)
        {
            args.Add("-S");
        }

        args.AddRange(config.ExtraArgs);
        return args;
    }

    /// <summary>The host's architecture in <see cref="NormalizeArch"/>'s names (x86_64, aarch64, ...).</summary>
    public static string HostArch => NormalizeArch(RuntimeInformation.OSArchitecture.ToString());

    /// <summary>
    /// The accelerator a machine of <paramref name="arch"/> runs with: <paramref name="configured"/> (options) when set,
    /// else <paramref name="environment"/> ($DEVICETEST_QEMU_ACCEL), else <c>tcg</c>. The environment is host-wide,
    /// so a <c>kvm</c> there applies only to guests of the host's own architecture; other guests use <c>tcg</c>.
    /// </summary>
    public static string ChooseAccelerator(string? configured, string? environment, string arch, string hostArch)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        if (string.IsNullOrEmpty(environment))
        {
            return "tcg";
        }

        return environment == "kvm" && NormalizeArch(arch) != NormalizeArch(hostArch) ? "tcg" : environment;
    }

    /// <summary>
    /// A headless display and a keyboard, so that screendump and send-key work on every board (-display none shows no
    /// window): x86-64's pc/q35 get a standard VGA card (a 720x400 text console) beside their PS/2 keyboard; arm64's
    /// virt gets a virtio GPU and a virtio keyboard (docs/screen-keys-network.md says what a kernel needs for them).
    /// Nothing is added when the extra arguments bring a display of their own, or for other machine types.
    /// </summary>
    private static string[] DisplayAndKeyboard(string arch, string? machine, IReadOnlyList<string> extraArgs)
    {
        var ownDisplay = extraArgs.Any(a => a is "-nographic" || a.Contains("-vga", StringComparison.Ordinal)
            || a.StartsWith("VGA", StringComparison.Ordinal) || a.StartsWith("virtio-gpu", StringComparison.Ordinal) || a.StartsWith("ramfb", StringComparison.Ordinal));
        var type = machine?.Split(',')[0];
        return (arch, type) switch
        {
            _ when ownDisplay => [],
            ("x86_64", null or "pc" or "q35") => ["-device", "VGA"],
            ("x86_64", _) when type!.StartsWith("pc-", StringComparison.Ordinal) => ["-device", "VGA"],
            ("aarch64", "virt") => ["-device", "virtio-gpu-pci", "-device", "virtio-keyboard-pci"],
            _ => [],
        };
    }

    /// <summary>QEMU option values escape a comma by doubling it.</summary>
    public static string EscapeOption(string value) => value.Replace(",", ",,", StringComparison.Ordinal);

    /// <summary>True when the CPU is emulated (TCG): no accelerator, or tcg, in our choice or the extra arguments.</summary>
    private static bool IsEmulated(IReadOnlyList<string> extraArgs, string? accelerator)
    {
        for (var i = 0; i < extraArgs.Count; i++)
        {
            var a = extraArgs[i];
            if (a is "-enable-kvm" or "--enable-kvm")
            {
                return false;
            }

            if (a is "-accel" or "--accel" && i + 1 < extraArgs.Count)
            {
                return extraArgs[i + 1].Split(',')[0] == "tcg";
            }

            if (a.Contains("accel=", StringComparison.Ordinal))
            {
                return a[(a.IndexOf("accel=", StringComparison.Ordinal) + 6)..].Split(',', ':')[0] == "tcg";
            }
        }

        return accelerator is null or "tcg";
    }

    private static bool HasOption(IReadOnlyList<string> args, string option) =>
        args.Any(a => a == option || a == "-" + option || (option == "-accel" && a.Contains("accel=", StringComparison.Ordinal)));
}
