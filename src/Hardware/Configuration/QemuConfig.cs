using System.Text.RegularExpressions;
using DeviceTest.Hardware.Yaml;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>qemu</c> section: a virtual board started by DeviceTest.</summary>
public sealed class QemuConfig
{
    private const string DefaultArch = "x86_64";
    private const int DefaultMemory = 256;
    private const int DefaultCpus = 1;
    private static readonly string[] Keys =
        ["arch", "binary", "kernel", "initrd", "append", "disk", "memory", "cpus", "forwards", "machine", "extra_args"];

    /// <summary>x86_64 (default) or aarch64 (devices.yml may also say arm64): picks qemu-system-&lt;arch&gt;.</summary>
    public string Arch { get; init; } = DefaultArch;

    /// <summary>The QEMU binary; null: qemu-system-&lt;Arch&gt; from PATH.</summary>
    public string? Binary { get; init; }

    public string? Kernel { get; init; }

    public string? Initrd { get; init; }

    public string? Append { get; init; }

    /// <summary>A disk image; the board writes to a copy-on-write overlay, never to this file.</summary>
    public string? Disk { get; init; }

    /// <summary>Memory in MiB.</summary>
    public int Memory { get; init; } = DefaultMemory;

    public int Cpus { get; init; } = DefaultCpus;

    /// <summary>Port forwards in QEMU's hostfwd syntax, e.g. <c>tcp:127.0.0.1:2222-:22</c>.</summary>
    public IReadOnlyList<string> Forwards { get; init; } = [];

    /// <summary>Machine type; null: QEMU's default for the arch (aarch64 uses <c>virt</c>).</summary>
    public string? Machine { get; init; }

    /// <summary>Extra arguments passed to QEMU as they are.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Reads <c>qemu: { arch, binary, kernel, initrd, append, disk, memory, cpus, forwards, machine, extra_args }</c>; null after an error.</summary>
    internal static QemuConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var arch = map.Text("arch");
        var binary = map.Text("binary");
        var kernel = map.Text("kernel");
        var initrd = map.Text("initrd");
        var append = map.Text("append", allowEmpty: true);
        var disk = map.Text("disk");
        var memory = map.Number("memory", 16);
        var cpus = map.Number("cpus", 1, 64);
        var forwards = map.StringList("forwards");
        var machine = map.Text("machine");
        var extraArgs = map.StringList("extra_args");

        var ok = CheckArch(map, arch);
        ok = CheckForwards(map, forwards) && ok;
        if (!map.Contains("kernel") && !map.Contains("disk"))
        {
            map.Document.Error(map.Node, DeviceFileErrorCodes.QemuNoImage, "`qemu` needs a `kernel` or a `disk` to boot");
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        return new QemuConfig
        {
            Arch = arch == "arm64" ? "aarch64" : arch ?? DefaultArch,
            Binary = binary,
            Kernel = kernel,
            Initrd = initrd,
            Append = append,
            Disk = disk,
            Memory = memory ?? DefaultMemory,
            Cpus = cpus ?? DefaultCpus,
            Forwards = forwards ?? [],
            Machine = machine,
            ExtraArgs = extraArgs ?? [],
        };
    }

    private static bool CheckArch(YamlMappingReader map, string? arch)
    {
        if (arch is null or "x86_64" or "aarch64" or "arm64")
        {
            return true;
        }

        map.Document.Error(map.Get("arch")!, DeviceFileErrorCodes.BadArch,
            $"qemu `arch` must be x86_64 or aarch64 (also written arm64), not `{arch}`");
        return false;
    }

    private static bool CheckForwards(YamlMappingReader map, IReadOnlyList<string>? forwards)
    {
        if (forwards is null || map.Get("forwards") is not YamlSequenceNode nodes)
        {
            return true;
        }

        var ok = true;
        for (var i = 0; i < forwards.Count; i++)
        {
            if (!ForwardPattern.IsMatch(forwards[i]))
            {
                map.Document.Error(nodes.Children[i], DeviceFileErrorCodes.BadForward,
                    $"qemu forward `{forwards[i]}` is not in QEMU's hostfwd syntax, e.g. tcp:127.0.0.1:2222-:22");
                ok = false;
            }
        }

        return ok;
    }

    private static readonly Regex ForwardPattern = new(@"^(tcp|udp):[^:\s-]*:[0-9]{1,5}-[^:\s-]*:[0-9]{1,5}$", RegexOptions.CultureInvariant);
}
