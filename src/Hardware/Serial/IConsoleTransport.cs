namespace DeviceTest.Hardware.Serial;

/// <summary>
/// A byte pipe to a device's console: a local tty, a raw TCP port (ser2net, QEMU's <c>-serial tcp:</c>) or an
/// RFC 2217 telnet port. One transport is opened once; open a new one to reconnect.
/// </summary>
public interface IConsoleTransport : IAsyncDisposable
{
    /// <summary>What this transport talks to, for messages (e.g. "serial /dev/ttyUSB0 115200").</summary>
    string Description { get; }

    /// <summary>Opens the port or connection.</summary>
    /// <exception cref="DeviceUnreachableException">The port cannot be opened or the connection is refused.</exception>
    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>Reads at least one byte; returns 0 when the other side closed the console for good.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
