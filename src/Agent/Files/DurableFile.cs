using System.Runtime.InteropServices;
using System.Text;

namespace DeviceTest.Agent.Files;

/// <summary>
/// Crash-safe file operations for the agent's state, spool and aktualizr-lite configuration. A file is written to a
/// temporary name in its folder (<c>.NAME.tmp-PID</c>, see <see cref="IsTemporary"/>), flushed to disk, renamed over
/// the target, and the folder is flushed too: a reader, a reboot or a power cut sees the old content or the new, never
/// a mix. New files are private (0600, <see cref="PrivateFiles"/>) unless a mode is given, from their creation on.
/// </summary>
internal static partial class DurableFile
{
    private const int ReadOnly = 0;
    private const int DirectoryOnly = 0x10000; // O_DIRECTORY: x86_64 and aarch64 (asm-generic) agree
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int InvalidArgument = 22; // EINVAL: a file system that cannot sync a directory (nothing to flush)

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> atomically and durably; its folder must exist.</summary>
    /// <param name="path">The file.</param>
    /// <param name="content">What it holds afterwards.</param>
    /// <param name="mode">Its permission bits; null: 0600.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}");
        try
        {
            using (var stream = new FileStream(temporary, PrivateFiles.NewFile(FileMode.Create, mode)))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // The umask may have taken bits away at creation.
                File.SetUnixFileMode(temporary, mode ?? PrivateFiles.FileMode);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        FlushDirectory(directory);
    }

    /// <summary><see cref="WriteAllBytes"/> with the text as UTF-8.</summary>
    public static void WriteAllText(string path, string content, UnixFileMode? mode = null) =>
        WriteAllBytes(path, Encoding.UTF8.GetBytes(content), mode);

    /// <summary>
    /// Whether <paramref name="fileName"/> is a temporary file <see cref="WriteAllBytes"/> writes (<c>.NAME.tmp-PID</c>),
    /// or one an agent before it wrote (<c>.NAME.tmp</c>): what a process killed while writing leaves behind.
    /// </summary>
    public static bool IsTemporary(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (!fileName.StartsWith('.'))
        {
            return false;
        }

        if (fileName.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return true;
        }

        var marker = fileName.LastIndexOf(".tmp-", StringComparison.Ordinal);
        return marker > 0 && fileName.Length > marker + 5 && fileName.AsSpan(marker + 5).IndexOfAnyExceptInRange('0', '9') < 0;
    }

    /// <summary>The temporary files of <paramref name="fileName"/> (<see cref="IsTemporary"/>), for <c>Directory.GetFiles</c>.</summary>
    public static string TemporaryPattern(string fileName) => $".{fileName}.tmp*";

    /// <summary>Copies a file and flushes the copy to disk (the caller flushes the folder).</summary>
    public static void CopyAndFlush(string source, string destination)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920);
        var options = PrivateFiles.NewFile(FileMode.CreateNew);
        options.BufferSize = 81920;
        using var output = new FileStream(destination, options);
        input.CopyTo(output);
        output.Flush(flushToDisk: true);
    }

    /// <summary>Moves a file or folder and flushes both folders.</summary>
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

    /// <summary>Removes a file (if it exists) and flushes its folder.</summary>
    public static void Delete(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return;
        }

        File.Delete(full);
        FlushDirectory(Path.GetDirectoryName(full)!);
    }

    /// <summary>
    /// fsync(2) on a folder, which .NET cannot open as a file, so that renames and creations in it survive a power cut.
    /// Does nothing where that is not supported (not Linux; a file system that answers EINVAL).
    /// </summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, ReadOnly | DirectoryOnly | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to flush it to disk (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() is var errno and not InvalidArgument)
            {
                throw new IOException($"cannot flush directory {directory} to disk (errno {errno})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
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
