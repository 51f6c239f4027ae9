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

    /// <summary>How a frame is captured (a command or an HTTP snapshot); a QEMU board has a screen without it.</summary>
    public ScreenConfig? Screen { get; init; }

    /// <summary>The key command and delay; a QEMU board has a keyboard without it.</summary>
    public KeyboardConfig? Keyboard { get; init; }

    /// <summary>The link down/up commands; a QEMU board with a NIC has them without it.</summary>
    public NetworkConfig? Network { get; init; }

    /// <summary>The lab host flashing and the screen, keyboard and network commands run on, or null (this machine).</summary>
    public LabConfig? Lab { get; init; }

    /// <summary>Where the entry stands in its file (for error messages); null for the built-in <c>local</c>.</summary>
    public ConfigPosition? Position { get; init; }

    /// <summary>The directory relative paths in this entry are resolved against (the devices file's directory).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();
}
