namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>qemu</c> section: a virtual board started by DeviceTest.</summary>
public sealed class QemuConfig
{
    /// <summary>x86_64 (default) or aarch64: picks qemu-system-&lt;arch&gt;.</summary>
    public string Arch { get; init; } = "x86_64";

    /// <summary>The QEMU binary; null: qemu-system-&lt;Arch&gt; from PATH.</summary>
    public string? Binary { get; init; }

    public string? Kernel { get; init; }

    public string? Initrd { get; init; }

    public string? Append { get; init; }

    /// <summary>A disk image; the board writes to a copy-on-write overlay, never to this file.</summary>
    public string? Disk { get; init; }

    /// <summary>Memory in MiB.</summary>
    public int Memory { get; init; } = 256;

    public int Cpus { get; init; } = 1;

    /// <summary>Port forwards in QEMU's hostfwd syntax, e.g. <c>tcp:127.0.0.1:2222-:22</c>.</summary>
    public IReadOnlyList<string> Forwards { get; init; } = [];

    /// <summary>Machine type; null: QEMU's default for the arch (aarch64 uses <c>virt</c>).</summary>
    public string? Machine { get; init; }

    /// <summary>Extra arguments passed to QEMU as they are.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
}
