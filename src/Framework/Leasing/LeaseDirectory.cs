using System.Globalization;
using System.Text;

namespace DeviceTest.Framework.Leasing;

/// <summary>
/// The folder of device locks shared by every DeviceTest run of this user on this machine:
/// <c>$XDG_RUNTIME_DIR/devicetest/leases</c>, else <c>&lt;temp&gt;/devicetest-leases-&lt;user&gt;</c>.
/// One <c>&lt;device&gt;.lock</c> per device, plus <c>&lt;device&gt;.owner</c> naming the holder for messages.
/// </summary>
public sealed class LeaseDirectory(string path)
{
    public string Path { get; } = path;

    public static LeaseDirectory Default()
    {
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var path = !string.IsNullOrEmpty(runtime) && Directory.Exists(runtime)
            ? System.IO.Path.Combine(runtime, "devicetest", "leases")
            : System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"devicetest-leases-{FileName(Environment.UserName)}");
        return new LeaseDirectory(path);
    }

    /// <summary>Takes the device's lock, or returns null at once when another process (or lease) holds it.</summary>
    public LockFileLease? TryAcquire(string deviceName)
    {
        Directory.CreateDirectory(Path);
        var lockPath = System.IO.Path.Combine(Path, FileName(deviceName) + ".lock");
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }

        var ownerPath = System.IO.Path.Combine(Path, FileName(deviceName) + ".owner");
        try
        {
            File.WriteAllText(ownerPath, string.Create(
                CultureInfo.InvariantCulture,
                $"process {Environment.ProcessId} since {DateTimeOffset.Now:yyyy-MM-dd HH:mm:ss}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the note only improves the "waiting for" message.
        }

        return new LockFileLease(deviceName, stream, ownerPath);
    }

    /// <summary>Who holds the device, as the holder wrote it ("process 1234 since ..."), or null.</summary>
    public string? DescribeHolder(string deviceName)
    {
        try
        {
            var text = File.ReadAllText(System.IO.Path.Combine(Path, FileName(deviceName) + ".owner")).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The devices that have a lock file here, by their file names (characters other than letters, digits,
    /// '-', '_' and '.' are '_' there).</summary>
    public IReadOnlyList<string> DeviceNames()
    {
        if (!Directory.Exists(Path))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(Path, "*.lock").Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];
    }

    /// <summary>Whether a live process holds the device's lock (probed by taking it for a moment).</summary>
    public bool IsHeld(string deviceName)
    {
        using var probe = TryAcquire(deviceName);
        return probe is null;
    }

    /// <summary>
    /// Removes the device's lock and owner files, held or not: the next run takes a new lock. A process that still
    /// holds the old one is not told (an operator's last resort; ending that process is the better fix).
    /// </summary>
    public void Remove(string deviceName)
    {
        foreach (var extension in (string[])[".lock", ".owner"])
        {
            try
            {
                File.Delete(System.IO.Path.Combine(Path, FileName(deviceName) + extension));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new LeaseStoreException($"cannot remove the lock of device '{deviceName}' in {Path}: {e.Message}", e);
            }
        }
    }

    private static string FileName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }
}
