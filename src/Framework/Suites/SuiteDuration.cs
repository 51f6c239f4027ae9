using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DeviceTest.Framework.Suites;

/// <summary>Durations as DESIGN.md writes them: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>hh:mm:ss</c> (and <c>ms</c>).</summary>
internal static partial class SuiteDuration
{
    internal const string Expected = "write it as 90s, 5m, 1h30m or hh:mm:ss";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var clock = ClockPattern().Match(trimmed);
        if (clock.Success)
        {
            var hours = Number(clock.Groups["h"].Value);
            var minutes = Number(clock.Groups["m"].Value);
            var seconds = Number(clock.Groups["s"].Value);
            if (minutes >= 60 || seconds >= 60)
            {
                return false;
            }

            duration = new TimeSpan(hours, minutes, seconds);
            return true;
        }

        var units = UnitPattern().Match(trimmed);
        if (!units.Success || trimmed.Length == 0)
        {
            return false;
        }

        long milliseconds = 0;
        checked
        {
            milliseconds += Number(units.Groups["h"].Value) * 3_600_000L;
            milliseconds += Number(units.Groups["m"].Value) * 60_000L;
            milliseconds += Number(units.Groups["s"].Value) * 1_000L;
            milliseconds += Number(units.Groups["ms"].Value);
        }

        duration = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    /// <summary>Formats like the input syntax: <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>1m30s</c>, <c>250ms</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalMilliseconds}ms");
        }

        var builder = new StringBuilder();
        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (duration.Minutes > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        }

        var seconds = duration.Seconds + (duration.Milliseconds / 1000.0);
        if (seconds > 0 || builder.Length == 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{seconds:0.###}s");
        }

        return builder.ToString();
    }

    private static int Number(string digits) =>
        digits.Length == 0 ? 0 : int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<h>\d{1,4}):(?<m>\d{1,2}):(?<s>\d{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ClockPattern();

    [GeneratedRegex(@"^(?=\d)(?:(?<h>\d{1,4})h)?(?:(?<m>\d{1,6})m(?!s))?(?:(?<s>\d{1,7})s)?(?:(?<ms>\d{1,9})ms)?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitPattern();
}
