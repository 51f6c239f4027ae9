using System.Text.RegularExpressions;

namespace DeviceTest.Hardware;

/// <summary>
/// A device's console (serial port, ser2net, QEMU serial). Keeps the full log with timestamps;
/// matching sees the text with ANSI escapes and carriage returns removed.
/// </summary>
public interface IDeviceConsole : IAsyncDisposable
{
    /// <summary>Everything read so far, one line per entry, with the time each line ended.</summary>
    ConsoleLog Log { get; }

    Task OpenAsync(CancellationToken cancellationToken);

    Task WriteAsync(string text, CancellationToken cancellationToken);

    Task WriteLineAsync(string line, CancellationToken cancellationToken);

    /// <summary>Waits until <paramref name="pattern"/> matches text read since the last match; returns the match.</summary>
    /// <exception cref="TimeoutException">Nothing matched within <paramref name="timeout"/>; the message includes the last text seen.</exception>
    Task<Match> ExpectAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken);
}
