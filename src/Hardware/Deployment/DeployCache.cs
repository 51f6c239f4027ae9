using System.Globalization;
using System.Text;

namespace DeviceTest.Hardware.Deployment;

/// <summary>
/// The local record of deploys to one device (in <c>obj/</c>): the hashes of local files by size and time, and what
/// each target path on the device got. Only a hint: <see cref="Deployer"/> checks it against the device every time.
/// Format: a header line, then tab-separated <c>L sha size ticks path</c> and <c>D sha size mtime mode target</c> lines.
/// </summary>
internal sealed class DeployCache
{
    private const string Header = "devicetest-deploy-cache 1";

    public Dictionary<string, LocalHashEntry> Local { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DeployRecord> Device { get; } = new(StringComparer.Ordinal);

    /// <summary>The file's text as loaded (null: none), so that saving what is already there writes nothing.</summary>
    private string? _loadedText;

    /// <summary>Reads the cache; a missing or unreadable file, or one written for another device, gives no device records.</summary>
    public static DeployCache Load(string? path, string deviceKey)
    {
        var cache = new DeployCache();
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return cache;
        }

        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (IOException)
        {
            return cache;
        }
        catch (UnauthorizedAccessException)
        {
            return cache;
        }

        var lines = text.Split('\n');
        if (lines.Length < 2 || lines[0] != Header)
        {
            return cache;
        }

        var sameDevice = lines[1] == "device\t" + deviceKey;
        foreach (var line in lines.Skip(2))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts is ["L", var sha, var size, var ticks, var local] && long.TryParse(size, CultureInfo.InvariantCulture, out var s) &&
                long.TryParse(ticks, CultureInfo.InvariantCulture, out var t))
            {
                cache.Local[local] = new LocalHashEntry(sha, s, t);
            }
            else if (sameDevice && DeviceManifest.TryParseRecord(parts.Skip(1).ToArray(), out var target, out var record) && parts[0] == "D")
            {
                cache.Device[target] = record;
            }
        }

        cache._loadedText = text;
        return cache;
    }

    /// <summary>Writes the cache (temp file, then rename), unless the file already holds exactly this: an unchanged
    /// deploy of 2,000 files then skips writing 400 KB (~10 ms, a twentieth of the deploy).</summary>
    public void Save(string path, string deviceKey)
    {
        var builder = new StringBuilder();
        builder.Append(Header).Append('\n').Append("device\t").Append(deviceKey).Append('\n');
        foreach (var (local, entry) in Local.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            builder.Append(CultureInfo.InvariantCulture, $"L\t{entry.Sha256}\t{entry.Size}\t{entry.ModifiedTicks}\t{local}\n");
        }

        foreach (var (target, record) in Device.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            builder.Append("D\t").Append(DeviceManifest.FormatRecord(target, record)).Append('\n');
        }

        var text = builder.ToString();
        if (text == _loadedText && File.Exists(path))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
        _loadedText = text;
    }
}
