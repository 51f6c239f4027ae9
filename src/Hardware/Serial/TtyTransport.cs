using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace DeviceTest.Hardware.Serial;

/// <summary>
/// A local serial port (or pty) through termios on Linux: raw mode, the configured baud rate, 8N1, CLOCAL|CREAD
/// and no flow control. A dedicated thread polls the port, so no thread-pool thread blocks on it.
/// </summary>
public sealed class TtyTransport : IConsoleTransport
{
    private const int PollMilliseconds = 100;
    private readonly string _path;
    private readonly int _baud;
    private readonly Lock _fdGate = new();
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource _readerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fd = -1;
    private volatile bool _stopping;
    private byte[]? _leftover;
    private int _leftoverOffset;

    public TtyTransport(string path, int baud)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path;
        _baud = baud;
    }

    public string Description => $"serial {_path} {_baud}";

    public Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException(
                $"local serial port {_path}: the termios driver is Linux only; leave out `driver: termios` (System.IO.Ports is the default here), or use tcp:// or rfc2217:// through ser2net");
        }

        var speed = TtyNative.SpeedConstant(_baud)
            ?? throw new DeviceUnreachableException($"serial {_path}: baud rate {_baud} is not a standard Linux rate (e.g. 9600, 115200, 1500000)");
        if (_fd >= 0 || _stopping)
        {
            throw new InvalidOperationException($"{Description} was already opened; create a new transport to reopen it");
        }

        var fd = TtyNative.Open(_path, TtyNative.ORdWr | TtyNative.ONoCtty | TtyNative.ONonBlock | TtyNative.OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new DeviceUnreachableException(
                $"cannot open serial port {_path}: {Marshal.GetPInvokeErrorMessage(errno)}; check the path and that you may use it (group dialout)");
        }

        try
        {
            Configure(fd, speed);
        }
        catch
        {
            _ = TtyNative.Close(fd);
            throw;
        }

        _fd = fd;
        var thread = new Thread(ReadLoop) { IsBackground = true, Name = $"tty {_path}" };
        thread.Start();
        return Task.CompletedTask;
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_leftover is null)
        {
            if (!await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) ||
                !_chunks.Reader.TryRead(out var chunk))
            {
                return 0;
            }

            _leftover = chunk;
            _leftoverOffset = 0;
        }

        var count = Math.Min(buffer.Length, _leftover.Length - _leftoverOffset);
        _leftover.AsSpan(_leftoverOffset, count).CopyTo(buffer.Span);
        _leftoverOffset += count;
        if (_leftoverOffset == _leftover.Length)
        {
            _leftover = null;
        }

        return count;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var written = WriteSome(data.Span[offset..]);
            if (written > 0)
            {
                offset += written;
            }
            else
            {
                // The port's output queue is full: wait a little instead of blocking a thread.
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (_fd >= 0)
        {
            await _readerStopped.Task.ConfigureAwait(false);
        }

        lock (_fdGate)
        {
            if (_fd >= 0)
            {
                _ = TtyNative.Close(_fd);
                _fd = -1;
            }
        }
    }

    private static unsafe void Configure(int fd, uint speed)
    {
        var termios = stackalloc byte[256];
        if (TtyNative.TcGetAttr(fd, termios) != 0)
        {
            throw Error(fd, "is not a terminal (tcgetattr)");
        }

        TtyNative.CfMakeRaw(termios);
        var iflag = (uint*)(termios + TtyNative.IFlagOffset);
        *iflag &= ~(TtyNative.IxOn | TtyNative.IxOff | TtyNative.IxAny);
        var cflag = (uint*)(termios + TtyNative.CFlagOffset);
        *cflag &= ~(TtyNative.CSize | TtyNative.ParEnb | TtyNative.CStopB | TtyNative.CrtsCts);
        *cflag |= TtyNative.CS8 | TtyNative.CLocal | TtyNative.CRead;
        termios[TtyNative.CcOffset + TtyNative.VMin] = 1;
        termios[TtyNative.CcOffset + TtyNative.VTime] = 0;
        if (TtyNative.CfSetISpeed(termios, speed) != 0 || TtyNative.CfSetOSpeed(termios, speed) != 0)
        {
            throw Error(fd, "rejected the baud rate");
        }

        if (TtyNative.TcSetAttr(fd, TtyNative.TcsaNow, termios) != 0)
        {
            throw Error(fd, "rejected the settings (tcsetattr)");
        }

        _ = TtyNative.TcFlush(fd, TtyNative.TcIoFlush);

        static DeviceUnreachableException Error(int fd, string what)
        {
            var errno = Marshal.GetLastPInvokeError();
            return new DeviceUnreachableException($"serial port (fd {fd}) {what}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    private unsafe int WriteSome(ReadOnlySpan<byte> data)
    {
        lock (_fdGate)
        {
            if (_fd < 0 || _stopping)
            {
                throw new IOException($"{Description} is closed");
            }

            fixed (byte* p = data)
            {
                var n = TtyNative.Write(_fd, p, data.Length);
                if (n >= 0)
                {
                    return (int)n;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno is TtyNative.EAgain or TtyNative.EIntr)
                {
                    return 0;
                }

                throw new IOException($"writing to {Description} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    private unsafe void ReadLoop()
    {
        var buffer = new byte[16384];
        try
        {
            while (!_stopping)
            {
                var pollFd = new TtyNative.PollFd { Fd = _fd, Events = TtyNative.PollIn };
                var ready = TtyNative.Poll(&pollFd, 1, PollMilliseconds);
                if (ready < 0)
                {
                    if (Marshal.GetLastPInvokeError() == TtyNative.EIntr)
                    {
                        continue;
                    }

                    return;
                }

                if (ready == 0)
                {
                    continue;
                }

                if ((pollFd.REvents & TtyNative.PollIn) == 0 &&
                    (pollFd.REvents & (TtyNative.PollHup | TtyNative.PollErr | TtyNative.PollNval)) != 0)
                {
                    return;
                }

                nint n;
                fixed (byte* p = buffer)
                {
                    n = TtyNative.Read(_fd, p, buffer.Length);
                }

                if (n > 0)
                {
                    _chunks.Writer.TryWrite(buffer.AsSpan(0, (int)n).ToArray());
                }
                else if (n == 0)
                {
                    return;
                }
                else
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is not (TtyNative.EAgain or TtyNative.EIntr))
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            _chunks.Writer.TryComplete();
            _readerStopped.TrySetResult();
        }
    }
}
