using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// Views of a child process's redirected pipe for bulk data (tar streams, file puts and gets). On Unix a
/// <see cref="PipeStream"/>'s async I/O goes through the socket engine on a non-blocking descriptor: every full
/// 64 KiB pipe means a readiness wait and a thread hop, which made a 200 MB deploy ~25% slower than
/// <c>tar | ssh</c>. A <see cref="FileStream"/> over the same descriptor, switched back to blocking, does plain
/// reads and writes on a thread-pool thread instead, at the speed of a shell pipeline. The view does not own the
/// descriptor: dispose it before the pipe stream, which closes it, and do not use the pipe stream in between.
/// </summary>
internal static partial class BulkPipe
{
    private const int GetFlags = 3;
    private const int SetFlags = 4;
    private const int NonBlocking = 0x800;
    private const int SetPipeSize = 1031;

    /// <summary>A writer over <paramref name="pipe"/>'s descriptor, or <paramref name="pipe"/> itself where that is not a pipe stream.</summary>
    /// <param name="pipe">The child's stdin.</param>
    /// <param name="capacity">Bytes the pipe should hold (Linux's F_SETPIPE_SZ; the default is 64 KiB, unprivileged
    /// processes may go up to /proc/sys/fs/pipe-max-size, 1 MiB by default); 0: leave it. Best effort.</param>
    public static Stream Writer(Stream pipe, int capacity = 0)
    {
        var view = View(pipe, FileAccess.Write);
        if (capacity > 0 && view is FileStream file && !ReferenceEquals(view, pipe))
        {
            _ = Fcntl((int)file.SafeFileHandle.DangerousGetHandle(), SetPipeSize, capacity);
        }

        return view;
    }

    /// <summary>A reader over <paramref name="pipe"/>'s descriptor, or <paramref name="pipe"/> itself where that is not a pipe stream.</summary>
    public static Stream Reader(Stream pipe) => View(pipe, FileAccess.Read);

    private static Stream View(Stream pipe, FileAccess access)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        if (!OperatingSystem.IsLinux() || pipe is not PipeStream { SafePipeHandle: { IsInvalid: false, IsClosed: false } handle })
        {
            return pipe;
        }

        // The socket engine may already have made the descriptor non-blocking (any earlier async use of the pipe
        // stream does); a blocking view needs it blocking, else a full pipe fails the write with EAGAIN.
        var descriptor = (int)handle.DangerousGetHandle();
        var flags = Fcntl(descriptor, GetFlags, 0);
        if (flags < 0 || ((flags & NonBlocking) != 0 && Fcntl(descriptor, SetFlags, flags & ~NonBlocking) < 0))
        {
            return pipe;
        }

        return new FileStream(new SafeFileHandle(handle.DangerousGetHandle(), ownsHandle: false), access, bufferSize: 0, isAsync: false);
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Fcntl(int descriptor, int command, int argument);
}
