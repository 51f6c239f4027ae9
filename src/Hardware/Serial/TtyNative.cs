using System.Runtime.InteropServices;

namespace DeviceTest.Hardware.Serial;

/// <summary>libc calls for a Linux tty (glibc/musl layout of struct termios on x86_64 and aarch64).</summary>
internal static partial class TtyNative
{
    internal const int ORdWr = 0x2;
    internal const int ONoCtty = 0x100;
    internal const int ONonBlock = 0x800;
    internal const int OCloExec = 0x80000;

    internal const short PollIn = 0x1;
    internal const short PollOut = 0x4;
    internal const short PollErr = 0x8;
    internal const short PollHup = 0x10;
    internal const short PollNval = 0x20;

    internal const int EIntr = 4;
    internal const int EAgain = 11;

    internal const int TcsaNow = 0;
    internal const int TcIoFlush = 2;

    // struct termios: c_iflag @0, c_oflag @4, c_cflag @8, c_lflag @12, c_line @16, c_cc[32] @17, speeds @52/56.
    internal const int TermiosSize = 60;
    internal const int IFlagOffset = 0;
    internal const int CFlagOffset = 8;
    internal const int CcOffset = 17;
    internal const int VTime = 5;
    internal const int VMin = 6;

    internal const uint IxOn = 0x400;
    internal const uint IxAny = 0x800;
    internal const uint IxOff = 0x1000;
    internal const uint CSize = 0x30;
    internal const uint CS8 = 0x30;
    internal const uint CStopB = 0x40;
    internal const uint CRead = 0x80;
    internal const uint ParEnb = 0x100;
    internal const uint CLocal = 0x800;
    internal const uint CrtsCts = 0x80000000;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    internal static unsafe partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    internal static unsafe partial int TcSetAttr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    internal static unsafe partial void CfMakeRaw(byte* termios);

    [LibraryImport("libc", EntryPoint = "cfsetispeed", SetLastError = true)]
    internal static unsafe partial int CfSetISpeed(byte* termios, uint speed);

    [LibraryImport("libc", EntryPoint = "cfsetospeed", SetLastError = true)]
    internal static unsafe partial int CfSetOSpeed(byte* termios, uint speed);

    [LibraryImport("libc", EntryPoint = "tcflush", SetLastError = true)]
    internal static partial int TcFlush(int fd, int queueSelector);

    /// <summary>The termios B* constant for a baud rate, or null when Linux has none.</summary>
    internal static uint? SpeedConstant(int baud) => baud switch
    {
        50 => 1,
        75 => 2,
        110 => 3,
        134 => 4,
        150 => 5,
        200 => 6,
        300 => 7,
        600 => 8,
        1200 => 9,
        1800 => 10,
        2400 => 11,
        4800 => 12,
        9600 => 13,
        19200 => 14,
        38400 => 15,
        57600 => 0x1001,
        115200 => 0x1002,
        230400 => 0x1003,
        460800 => 0x1004,
        500000 => 0x1005,
        576000 => 0x1006,
        921600 => 0x1007,
        1000000 => 0x1008,
        1152000 => 0x1009,
        1500000 => 0x100A,
        2000000 => 0x100B,
        2500000 => 0x100C,
        3000000 => 0x100D,
        3500000 => 0x100E,
        4000000 => 0x100F,
        _ => null,
    };
}
