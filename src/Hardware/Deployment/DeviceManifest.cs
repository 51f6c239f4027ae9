using System.Globalization;
using System.Text;

namespace DeviceTest.Hardware.Deployment;

/// <summary>
/// The record a deploy keeps on the device itself (default <c>/var/lib/devicetest/deploy/&lt;project&gt;.manifest</c>),
/// so that another checkout or machine also deploys only what changed. One tab-separated line per file:
/// <c>sha256 size mtime mode(octal) target</c>, after a header line.
/// </summary>
internal static class DeviceManifest
{
    public const string Header = "devicetest-deploy-manifest 1";

    public static string Format(IEnumerable<KeyValuePair<string, DeployRecord>> records)
    {
        var builder = new StringBuilder(Header).Append('\n');
        foreach (var (target, record) in records.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            builder.Append(FormatRecord(target, record)).Append('\n');
        }

        return builder.ToString();
    }

    public static Dictionary<string, DeployRecord> Parse(string text)
    {
        var records = new Dictionary<string, DeployRecord>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        if (lines.Length == 0 || lines[0].TrimEnd('\r') != Header)
        {
            return records;
        }

        foreach (var line in lines.Skip(1))
        {
            if (TryParseRecord(line.Split('\t'), out var target, out var record))
            {
                records[target] = record;
            }
        }

        return records;
    }

    public static string FormatRecord(string target, DeployRecord record) =>
        string.Create(CultureInfo.InvariantCulture, $"{record.Sha256}\t{record.Size}\t{record.ModifiedUnixSeconds}\t{Convert.ToString(record.Mode, 8)}\t{target}");

    public static bool TryParseRecord(string[] parts, out string target, out DeployRecord record)
    {
        target = string.Empty;
        record = null!;
        if (parts.Length != 5 || parts[0].Length != 64 || !parts[4].StartsWith('/') ||
            !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) ||
            !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var modified))
        {
            return false;
        }

        if (!Octal.TryParseMode(parts[3], out var mode))
        {
            return false;
        }

        target = parts[4];
        record = new DeployRecord(parts[0], size, modified, mode);
        return true;
    }
}
