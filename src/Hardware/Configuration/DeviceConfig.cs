using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>One entry of devices.yml. A device may combine sections (docs/devices.md lists the combinations).</summary>
public sealed class DeviceConfig
{
    public required string Name { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public SshConfig? Ssh { get; init; }

    public SerialConfig? Serial { get; init; }

    public ShellConfig? Shell { get; init; }

    public PowerConfig? Power { get; init; }

    public QemuConfig? Qemu { get; init; }

    /// <summary>How an OS image is written to the device (docs/flash.md), or null.</summary>
    public FlashConfig? Flash { get; init; }

    /// <summary>The lab host the device's mux and medium hang off, or null (this machine).</summary>
    public LabConfig? Lab { get; init; }

    /// <summary>Where the entry stands in its file (for error messages); null for the built-in <c>local</c>.</summary>
    public ConfigPosition? Position { get; init; }

    /// <summary>The directory relative paths in this entry are resolved against (the devices file's directory).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();
}
