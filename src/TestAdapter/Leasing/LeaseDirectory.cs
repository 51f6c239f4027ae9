using System.Globalization;
using System.Text;

namespace DeviceTest.TestAdapter.Leasing;

/// <summary>
/// The folder of device locks shared by every DeviceTest run of this user on this machine:
/// <c>$XDG_RUNTIME_DIR/devicetest/leases</c>, else <c>&lt;temp&gt;/devicetest-leases-&lt;user&gt;</c>.
/// One <c>&lt;device&gt;.lock</c> per device, plus <c>&lt;device&gt;.owner</c> naming the holder for messages.
/// </summary>
internal sealed class LeaseDirectory(string path)
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
    public DeviceLease? TryAcquire(string deviceName)
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

        return new DeviceLease(deviceName, stream, ownerPath);
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
