using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DeviceTest.Hardware.Flashing.Writers;

/// <summary>
/// The few Linux calls .NET's file APIs do not offer for writing a medium: <c>open</c> with <c>O_EXCL</c> (a block
/// device that is mounted or held by the kernel is refused with EBUSY) and <c>O_DIRECT</c> (no page cache: large
/// aligned writes go straight to the device, and a read-back really reads the medium), and <c>posix_fadvise</c> to drop
/// a file's cached pages before reading it back.
/// </summary>
internal static partial class NativeDisk
{
    public const int Ebusy = 16;
    public const int Eacces = 13;
    public const int Einval = 22;
    private const int ReadOnly = 0;
    private const int ReadWrite = 2;
    private const int Exclusive = 0x80;
    private const int CloseOnExec = 0x80000;
    private const int GetFlags = 3;
    private const int SetFlags = 4;
    private const int DontNeed = 4;

    /// <summary>O_DIRECT: 040000 on x86, 0200000 on arm and arm64.</summary>
    private static int DirectFlag => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x10000 : 0x4000;

    /// <summary>Opens a block device exclusively (O_EXCL), for writing or reading; the error number when it cannot.</summary>
    public static SafeFileHandle? OpenBlockDevice(string path, bool write, bool direct, out int error)
    {
        var flags = (write ? ReadWrite : ReadOnly) | Exclusive | CloseOnExec | (direct ? DirectFlag : 0);
        var fd = Open(path, flags, 0);
        error = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Turns O_DIRECT off on an open descriptor (for a last write that is not a whole number of sectors).</summary>
    public static bool ClearDirect(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var fd = (int)handle.DangerousGetHandle();
        var flags = Fcntl(fd, GetFlags, 0);
        return flags >= 0 && Fcntl(fd, SetFlags, flags & ~DirectFlag) >= 0;
    }

    /// <summary>Drops the page cache of a file that was written and synced, so that reading it back reads the disk.</summary>
    public static void DropCache(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _ = Fadvise((int)handle.DangerousGetHandle(), 0, 0, DontNeed);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Fcntl(int descriptor, int command, int argument);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Fadvise(int descriptor, long offset, long length, int advice);
}
