using System.Globalization;

namespace DeviceTest.Hardware.Boards;

/// <summary>Formatting shared by the boot strategies' messages.</summary>
internal static class BootText
{
    private const string LostPrefix = "device lost: ";

    /// <summary>Invariant culture: "3.0 s" everywhere.</summary>
    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The message without a leading "device lost: ", on one line (console patterns hold newlines).</summary>
    public static string StripLost(string message)
    {
        var text = message.StartsWith(LostPrefix, StringComparison.OrdinalIgnoreCase) ? message[LostPrefix.Length..] : message;
        return text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }
}
