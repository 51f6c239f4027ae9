using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// The <c>network</c> section: the command pair that unplugs and plugs the device's cable (a managed switch port, an
/// <c>ip link</c> on the lab host), run on the lab host when the device has one, else on this machine. A QEMU board
/// with a NIC needs none (QMP <c>set_link</c>).
/// </summary>
public sealed class NetworkConfig
{
    private static readonly string[] Keys = ["down", "up", "timeout"];
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public required string Down { get; init; }

    public required string Up { get; init; }

    /// <summary>How long one command may take before it is killed and reported.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Reads <c>network: { down, up, timeout }</c>; null after an error.</summary>
    internal static NetworkConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var down = map.Text("down", required: true);
        var up = map.Text("up", required: true);
        var timeout = map.Duration("timeout");
        return down is null || up is null ? null : new NetworkConfig { Down = down, Up = up, Timeout = timeout ?? DefaultTimeout };
    }
}
