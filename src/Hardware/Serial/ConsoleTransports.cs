using System.Net.Sockets;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Serial;

/// <summary>Creates the transport a <c>serial:</c> section names.</summary>
public static class ConsoleTransports
{
    /// <summary>
    /// <c>tcp://host:port</c>: raw TCP; <c>rfc2217://host:port</c>: telnet with COM-PORT-OPTION; anything else: a local
    /// port, opened with termios (Linux) or System.IO.Ports (<see cref="SerialConfig.EffectiveDriver"/>).
    /// </summary>
    public static IConsoleTransport Create(SerialConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var port = config.Port.Trim();
        if (port.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
        {
            var (host, number) = ParseHostPort(port, "tcp://".Length);
            return new TcpTransport(host, number);
        }

        if (port.StartsWith("rfc2217://", StringComparison.OrdinalIgnoreCase))
        {
            var (host, number) = ParseHostPort(port, "rfc2217://".Length);
            return new Rfc2217Transport(host, number, config.Baud);
        }

        if (port.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"serial port '{port}' has an unknown scheme: use a tty path (/dev/ttyUSB0), tcp://host:port or rfc2217://host:port");
        }

        return config.EffectiveDriver == SerialDriver.SystemIoPorts
            ? new SystemIoPortsTransport(port, config.Baud)
            : new TtyTransport(port, config.Baud);
    }

    /// <summary>A console on a unix socket (QEMU's serial console, <c>-chardev socket,path=...,server=on</c>).</summary>
    public static IConsoleTransport UnixSocket(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new StreamTransport($"unix:{path}", async cancellationToken =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new DeviceUnreachableException($"cannot connect to console unix:{path}: {e.Message}; is QEMU running?", e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });
    }

    private static (string Host, int Port) ParseHostPort(string text, int prefixLength)
    {
        var rest = text[prefixLength..].TrimEnd('/');
        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"serial port '{text}' needs a host and a port, e.g. {text[..prefixLength]}127.0.0.1:3001");
        }

        var host = rest[..colon].Trim('[', ']');
        return (host, port);
    }
}
