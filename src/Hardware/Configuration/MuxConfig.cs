using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary><c>flash.mux: { host, dut }</c>: shell commands that switch the SD-mux (run on the lab host when there is one).</summary>
public sealed class MuxConfig
{
    private static readonly string[] Keys = ["host", "dut"];

    /// <summary>Switches the medium to the machine that writes it (e.g. <c>usbsdmux /dev/sg1 host</c>).</summary>
    public required string Host { get; init; }

    /// <summary>Switches the medium back to the device under test.</summary>
    public required string Dut { get; init; }

    /// <summary>Reads <c>mux: { host, dut }</c>; null after an error.</summary>
    internal static MuxConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var host = map.Text("host", required: true);
        var dut = map.Text("dut", required: true);
        return host is null || dut is null ? null : new MuxConfig { Host = host, Dut = dut };
    }
}
