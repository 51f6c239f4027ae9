using System.IO.Ports;

namespace DeviceTest.Hardware.Serial;

/// <summary>
/// A local serial port through System.IO.Ports (<c>serial: { driver: system-io-ports }</c>; the default on Windows and
/// macOS): 8N1, no flow control, the configured baud rate, reads and writes on the port's stream. DTR and RTS are left as
/// the port has them: setting them is refused on a pty ("Inappropriate ioctl for device"), and opening with them
/// enabled fails there.
/// </summary>
public sealed class SystemIoPortsTransport : IConsoleTransport
{
    private readonly string _portName;
    private readonly int _baud;
    private SerialPort? _port;
    private Stream? _stream;

    public SystemIoPortsTransport(string portName, int baud)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(portName);
        _portName = portName;
        _baud = baud;
    }

    public string Description => $"serial {_portName} {_baud} (System.IO.Ports)";

    public Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_port is not null)
        {
            throw new InvalidOperationException($"{Description} was already opened; create a new transport to reopen it");
        }

        var port = new SerialPort(_portName, _baud, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = SerialPort.InfiniteTimeout,
        };
        try
        {
            port.Open();
            _stream = port.BaseStream;
            _port = port;
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            throw new DeviceUnreachableException(
                $"cannot open serial port {_portName} with System.IO.Ports: {e.Message}; check the path (or COM port name) and that you may use it (group dialout)",
                e);
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException($"{Description} is not open");
        try
        {
            return await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return 0; // the port went away (adapter unplugged, the other end of a pty closed)
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException($"{Description} is not open");
        await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _stream = null;
        _port?.Dispose();
        return ValueTask.CompletedTask;
    }
}
