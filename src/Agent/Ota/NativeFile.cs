using System.Runtime.InteropServices;

namespace DeviceTest.Agent.Ota;

/// <summary>fsync for a directory, which .NET cannot open as a file (needed so that a rename survives power loss).</summary>
internal static partial class NativeFile
{
    private const int ReadOnly = 0;
    private const int DirectoryOnly = 0x10000; // O_DIRECTORY on Linux (x64, arm64)

    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; quietly does nothing where that is not supported.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, ReadOnly | DirectoryOnly);
        if (fd < 0)
        {
            throw new IOException($"could not open directory '{directory}' to flush it to disk (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"could not flush directory '{directory}' to disk (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Close(int fd);
}
