using System.Text;
using DeviceTest.Agent.Gateway;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// Replaces a file so that a reader (or a reboot, or a power cut) sees either the old or the new content, never a
/// mix: write a temporary file in the same directory, fsync it, rename it over the target, fsync the directory.
/// The file is created with <c>mode</c> from the start (nobody can open it while it is written).
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string content, UnixFileMode? mode = null) =>
        WriteAllBytes(path, Encoding.UTF8.GetBytes(content), mode);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.tmp-{Environment.ProcessId}");
        try
        {
            using (var stream = new FileStream(temporary, PrivateFiles.NewFile(FileMode.Create, mode)))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (mode is { } unixMode && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, unixMode);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        NativeFile.SyncDirectory(directory);
    }

    /// <summary>Removes <paramref name="path"/> (if it exists) durably.</summary>
    public static void Delete(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return;
        }

        File.Delete(full);
        NativeFile.SyncDirectory(Path.GetDirectoryName(full)!);
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
}
