using System.Runtime.InteropServices;
using System.Text;

namespace DeviceTest.Agent.Gateway;

/// <summary>
/// Crash-safe file operations: a file is written to a temporary name, flushed to disk, renamed into place, and the
/// directory is flushed too, so after a power cut the file is either absent or complete. Files are made 0600
/// (<see cref="PrivateFiles"/>).
/// </summary>
internal static class DurableFile
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // x86_64 and aarch64 (asm-generic) agree
    private const int OCloExec = 0x80000;

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically and durably.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + ".tmp");
        using (var stream = new FileStream(temp, PrivateFiles.NewFile(FileMode.Create)))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, PrivateFiles.FileMode);
        }

        File.Move(temp, path, overwrite: true);
        FlushDirectory(directory);
    }

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Copies a file and flushes the copy to disk (the caller flushes the directory).</summary>
    public static void CopyAndFlush(string source, string destination)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920);
        var options = PrivateFiles.NewFile(FileMode.CreateNew);
        options.BufferSize = 81920;
        using var output = new FileStream(destination, options);
        input.CopyTo(output);
        output.Flush(flushToDisk: true);
    }

    /// <summary>Moves a file or directory and flushes both directories.</summary>
    public static void Move(string source, string destination)
    {
        if (Directory.Exists(source))
        {
            Directory.Move(source, destination);
        }
        else
        {
            File.Move(source, destination, overwrite: false);
        }

        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(source))!);
    }

    /// <summary>Deletes a file and flushes its directory.</summary>
    public static void Delete(string path)
    {
        File.Delete(path);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>fsync(2) on a directory, so renames and creations in it survive a power cut.</summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var path = Encoding.UTF8.GetBytes(directory + "\0");
        int fd = Open(path, ORdOnly | ODirectory | OCloExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                const int EInval = 22;
                if (errno != EInval)
                {
                    throw new IOException($"cannot flush directory {directory} to disk (errno {errno})");
                }
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
