using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// Durations as users write them in YAML, runsettings and attributes: <c>90s</c>, <c>5m</c>, <c>1h30m</c>,
/// <c>1h30m15s</c>, <c>hh:mm:ss</c> (e.g. <c>01:30:00</c>) or whole seconds (<c>90</c>).
/// </summary>
public static partial class DurationText
{
    /// <summary>What the accepted forms look like, for error messages.</summary>
    public const string Forms = "90s, 5m, 1h30m, hh:mm:ss or whole seconds";

    // Whole seconds never exceed this (about 68 years); keeps arithmetic far from overflow.
    private const long MaxSeconds = int.MaxValue;

    /// <summary>Parses <paramref name="text"/>; false when it is not a duration. Zero is a valid result.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        long seconds;
        var clock = ClockPattern().Match(text);
        if (clock.Success)
        {
            if (!TryNumber(clock.Groups[1].Value, out var h))
            {
                return false;
            }

            seconds = (h * 3600) + (long.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture) * 60) +
                long.Parse(clock.Groups[3].Value, CultureInfo.InvariantCulture);
        }
        else if (text.All(char.IsAsciiDigit))
        {
            if (!TryNumber(text, out seconds))
            {
                return false;
            }
        }
        else
        {
            var units = UnitsPattern().Match(text);
            if (!units.Success || text.Length == 0)
            {
                return false;
            }

            long h = 0, m = 0, s = 0;
            if ((units.Groups[1].Success && !TryNumber(units.Groups[1].Value, out h)) ||
                (units.Groups[2].Success && !TryNumber(units.Groups[2].Value, out m)) ||
                (units.Groups[3].Success && !TryNumber(units.Groups[3].Value, out s)))
            {
                return false;
            }

            seconds = (h * 3600) + (m * 60) + s;
        }

        if (seconds > MaxSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Writes <paramref name="value"/> in the unit form, e.g. <c>1h30m</c>, <c>90s</c> → <c>1m30s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        var total = (long)Math.Round(value.TotalSeconds);
        if (total <= 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        var h = total / 3600;
        var m = total / 60 % 60;
        var s = total % 60;
        if (h > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{h}h");
        }

        if (m > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{m}m");
        }

        if (s > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{s}s");
        }

        return text.ToString();
    }

    private static bool TryNumber(string digits, out long value)
    {
        value = 0;
        return digits.Length <= 10 &&
            long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value) &&
            value <= MaxSeconds;
    }

    [GeneratedRegex(@"^([0-9]+):([0-5][0-9]):([0-5][0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex ClockPattern();

    [GeneratedRegex(@"^(?=[0-9])(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitsPattern();
}
