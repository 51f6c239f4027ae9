using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// The <c>flash</c> section (docs/flash.md): how an OS image gets onto the device's medium. Either <see cref="Disk"/>
/// (a block device, usually behind an SD-mux: <see cref="Mux"/>) or <see cref="Command"/> (the vendor's own tool).
/// </summary>
public sealed class FlashConfig
{
    /// <summary>The placeholder in <see cref="Command"/> that becomes the image's full path.</summary>
    public const string ImagePlaceholder = "{image}";

    private static readonly string[] Keys = ["disk", "mux", "settle", "timeout", "command"];
    private static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The medium as the writing machine sees it, e.g. <c>/dev/disk/by-id/usb-...</c>; null with <see cref="Command"/>.</summary>
    public string? Disk { get; init; }

    /// <summary>The SD-mux commands, or null (a reader that is always attached).</summary>
    public MuxConfig? Mux { get; init; }

    /// <summary>How long to wait after the medium appeared, before writing (and after switching back to the DUT).</summary>
    public TimeSpan Settle { get; init; } = DefaultSettle;

    /// <summary>How long the medium may take to appear after the mux switched to the host (and a vendor command may run: its timeout).</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Whether <c>timeout</c> was written (a vendor command's default is 30 minutes, not the medium's 30 s).</summary>
    public bool TimeoutGiven { get; init; }

    /// <summary>The vendor's flashing command with <see cref="ImagePlaceholder"/>; null with <see cref="Disk"/>.</summary>
    public string? Command { get; init; }

    /// <summary>Reads <c>flash: { disk, mux, settle, timeout }</c> or <c>flash: { command, timeout }</c>; null after an error.</summary>
    internal static FlashConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var disk = map.Text("disk");
        var mux = map.Mapping("mux") is { } muxMap ? MuxConfig.Read(muxMap) : null;
        var settle = map.Duration("settle");
        var timeout = map.Duration("timeout");
        var command = map.Text("command");
        var ok = true;
        if (map.Contains("disk") == map.Contains("command"))
        {
            map.Document.Error(map.Node, DeviceFileErrorCodes.FlashSection,
                map.Contains("disk")
                    ? "`flash` has both `disk` and `command`: write the medium (`disk`, with `mux`) or run the vendor's tool (`command`), not both"
                    : "`flash` needs `disk` (the medium, with `mux` for an SD-mux) or `command` (the vendor's tool with {image})");
            ok = false;
        }

        if (command is not null && !command.Contains(ImagePlaceholder, StringComparison.Ordinal))
        {
            map.Document.Error(map.Get("command")!, DeviceFileErrorCodes.FlashSection,
                $"`flash.command` must say where the image goes with {ImagePlaceholder}, e.g. \"uuu -b emmc_all {ImagePlaceholder}\"");
            ok = false;
        }

        if (command is not null && map.Contains("mux"))
        {
            map.Document.Error(map.KeyNode("mux")!, DeviceFileErrorCodes.FlashSection,
                "`flash.mux` goes with `disk`; a vendor `command` switches the board itself");
            ok = false;
        }

        if (disk is not null && !disk.StartsWith('/'))
        {
            map.Document.Error(map.Get("disk")!, DeviceFileErrorCodes.FlashSection,
                $"`flash.disk` must be an absolute path on the writing machine (e.g. /dev/disk/by-id/usb-...), not `{disk}`");
            ok = false;
        }

        if (!ok || (disk is null && command is null) || (map.Contains("mux") && mux is null))
        {
            return null;
        }

        return new FlashConfig
        {
            Disk = disk,
            Mux = mux,
            Settle = settle ?? DefaultSettle,
            Timeout = timeout ?? DefaultTimeout,
            TimeoutGiven = timeout is not null,
            Command = command,
        };
    }
}
