using System.Globalization;
using System.Text;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// The key layout in etcd. A device's holder is <c>/devicetest/v1/leases/&lt;device&gt;</c>; its waiters are
/// <c>/devicetest/v1/waiters/&lt;device&gt;/&lt;lease&gt;-&lt;request&gt;</c>, one key per waiting request, bound to the
/// waiting run's etcd lease, so a dead waiter leaves the queue by itself. Device names are percent-encoded (only
/// letters, digits, '.', '_' and '-' stay), so one device's keys never share a prefix with another's.
/// </summary>
internal static class EtcdKeys
{
    public const string Root = "/devicetest/v1/";
    private const string HoldersFolder = Root + "leases/";
    private const string WaitersFolder = Root + "waiters/";

    public static byte[] Holder(string device) => Encoding.UTF8.GetBytes(HoldersFolder + Escape(device));

    public static byte[] WaitersPrefix(string device) => Encoding.UTF8.GetBytes(WaitersFolder + Escape(device) + "/");

    public static byte[] Waiter(string device, long leaseId, long request) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{WaitersFolder}{Escape(device)}/{leaseId:x16}-{request}"));

    public static byte[] RootPrefix => Encoding.UTF8.GetBytes(Root);

    /// <summary>The end of the range of keys that start with <paramref name="prefix"/> (its last byte plus one).</summary>
    public static byte[] RangeEnd(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] < 0xff)
            {
                var end = prefix[..(i + 1)];
                end[i]++;
                return end;
            }
        }

        return [0];
    }

    /// <summary>The device a holder key names, or null for another key.</summary>
    public static string? DeviceOfHolder(byte[] key)
    {
        var text = Encoding.UTF8.GetString(key);
        return text.StartsWith(HoldersFolder, StringComparison.Ordinal) ? Unescape(text[HoldersFolder.Length..]) : null;
    }

    /// <summary>The device a waiter key queues for, or null for another key.</summary>
    public static string? DeviceOfWaiter(byte[] key)
    {
        var text = Encoding.UTF8.GetString(key);
        if (!text.StartsWith(WaitersFolder, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = text[WaitersFolder.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? Unescape(rest[..slash]) : null;
    }

    private static string Escape(string device)
    {
        var text = new StringBuilder(device.Length);
        foreach (var b in Encoding.UTF8.GetBytes(device))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            {
                text.Append(c);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return text.ToString();
    }

    private static string Unescape(string escaped) => Uri.UnescapeDataString(escaped);
}
