namespace DeviceTest.Hardware.Qemu;

/// <summary>How DeviceTest runs a <see cref="QemuMachine"/> (beyond the device's <c>qemu</c> section).</summary>
public sealed class QemuMachineOptions
{
    /// <summary>Environment variable that picks the accelerator when <see cref="Accelerator"/> is null (e.g. <c>kvm</c>).</summary>
    public const string AcceleratorVariable = "DEVICETEST_QEMU_ACCEL";

    /// <summary>
    /// QEMU's <c>-accel</c> value (<c>tcg</c>, <c>kvm</c>, ...). Null: <c>$DEVICETEST_QEMU_ACCEL</c> (whose <c>kvm</c>
    /// applies only to guests of the host's architecture), else <c>tcg</c>.
    /// TCG is the default because a /dev/kvm that exists is not always usable (nested or restricted hosts make
    /// KVM slower than TCG or crash it); no <c>-accel</c> is added when the config's extra arguments have one.
    /// </summary>
    public string? Accelerator { get; init; }

    /// <summary>Starts QEMU with its CPUs stopped (<c>-S</c>): connect to the console first, then <see cref="QmpClient.ContinueAsync"/>.</summary>
    public bool StartPaused { get; init; }

    /// <summary>Resolves relative kernel, initrd and disk paths (the devices file's directory). Null: the current directory.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>A name for QEMU's <c>-name</c> and for messages (the device's name).</summary>
    public string? Name { get; init; }

    /// <summary>How long QEMU may take to open its QMP socket.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long QEMU may take to exit after QMP <c>quit</c> before it is killed.</summary>
    public TimeSpan QuitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where leases of running QEMUs are kept for reaping after killed runs. Null: a per-user runtime dir.</summary>
    public string? RuntimeDirectory { get; init; }
}
