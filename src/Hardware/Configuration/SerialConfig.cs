using System.Text.RegularExpressions;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>The <c>serial</c> section: a local tty path, <c>tcp://host:port</c> (ser2net raw) or <c>rfc2217://host:port</c>.</summary>
public sealed class SerialConfig
{
    private const int DefaultBaud = 115200;
    private const string PortForms = "a device path (/dev/ttyUSB0), tcp://host:port (ser2net raw) or rfc2217://host:port";
    private static readonly string[] Keys = ["port", "baud", "driver"];

    public required string Port { get; init; }

    public int Baud { get; init; } = DefaultBaud;

    /// <summary>What opens a local port; null: termios on Linux, System.IO.Ports elsewhere (<see cref="EffectiveDriver"/>).</summary>
    public SerialDriver? Driver { get; init; }

    /// <summary>The driver a local port is opened with on this machine.</summary>
    public SerialDriver EffectiveDriver => Driver ?? (OperatingSystem.IsLinux() ? SerialDriver.Termios : SerialDriver.SystemIoPorts);

    /// <summary>Reads <c>serial: { port, baud, driver }</c>; null after an error.</summary>
    internal static SerialConfig? Read(YamlMappingReader map)
    {
        map.CheckKeys(Keys);
        var port = map.Text("port", required: true);
        var baud = map.Number("baud", 1);
        if (port is null)
        {
            return null;
        }

        if (PortProblem(port) is { } problem)
        {
            map.Document.Error(map.Get("port")!, DeviceFileErrorCodes.BadSerialPort, problem);
            return null;
        }

        var driver = ReadDriver(map, port);
        return new SerialConfig { Port = port, Baud = baud ?? DefaultBaud, Driver = driver };
    }

    /// <summary><c>driver: termios | system-io-ports</c>, for a local port only.</summary>
    private static SerialDriver? ReadDriver(YamlMappingReader map, string port)
    {
        var text = map.Text("driver");
        if (text is null)
        {
            return null;
        }

        SerialDriver? driver = text switch
        {
            "termios" => SerialDriver.Termios,
            "system-io-ports" => SerialDriver.SystemIoPorts,
            _ => null,
        };
        if (driver is null)
        {
            map.Document.Error(map.Get("driver")!, DeviceFileErrorCodes.BadSerialPort, $"serial `driver` `{text}` is not known; use termios (Linux) or system-io-ports");
        }
        else if (port.Contains("://", StringComparison.Ordinal))
        {
            map.Document.Error(
                map.Get("driver")!,
                DeviceFileErrorCodes.BadSerialPort,
                $"serial `driver` applies to a local port (a tty path or COM port); `{port}` is a network port, which System.IO.Ports cannot open: leave `driver` out");
            driver = null;
        }

        return driver;
    }

    /// <summary>Why <paramref name="port"/> is not a port DeviceTest can open, or null when it is one.</summary>
    private static string? PortProblem(string port)
    {
        if (port.Contains("://", StringComparison.Ordinal))
        {
            var scheme = port[..port.IndexOf("://", StringComparison.Ordinal)];
            if (scheme is not ("tcp" or "rfc2217"))
            {
                return $"serial `port` scheme `{scheme}` is not supported; use {PortForms}";
            }

            var match = NetworkPortPattern.Match(port);
            return match.Success && int.TryParse(match.Groups[2].Value, out var number) && number is >= 1 and <= 65535
                ? null
                : $"serial `port` `{port}` must be {scheme}://host:port with a port between 1 and 65535";
        }

        if (HostPortPattern.IsMatch(port))
        {
            return $"serial `port` `{port}` looks like host:port; write tcp://{port} (ser2net raw) or rfc2217://{port}";
        }

        return port.Any(char.IsWhiteSpace) ? $"serial `port` must be {PortForms}, not `{port}`" : null;
    }

    private static readonly Regex NetworkPortPattern = new(@"^[a-z0-9]+://(\[[0-9A-Fa-f:.]+\]|[^/:\[\]\s]+):([0-9]{1,5})/?$", RegexOptions.CultureInvariant);

    private static readonly Regex HostPortPattern = new(@"^[^/\s:]+:[0-9]{1,5}$", RegexOptions.CultureInvariant);
}
