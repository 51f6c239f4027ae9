namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// What opens a local serial port (<c>serial: { driver: ... }</c>). Only local ports (a tty or pty path, or a COM
/// port) have a driver: <c>tcp://</c> and <c>rfc2217://</c> ports are network connections.
/// </summary>
public enum SerialDriver
{
    /// <summary><c>termios</c>: termios directly (Linux only; the default there): ptys, low latency.</summary>
    Termios,

    /// <summary>
    /// <c>system-io-ports</c>: .NET's System.IO.Ports <c>SerialPort</c>, the default where termios is not available
    /// (Windows, macOS) and selectable on Linux.
    /// </summary>
    SystemIoPorts,
}
