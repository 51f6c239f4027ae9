using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DeviceTest.Hardware.Yaml;

/// <summary>
/// Durations as users write them in YAML, runsettings and attributes: <c>90s</c>, <c>5m</c>, <c>1h30m</c>,
/// <c>1h30m15s</c>, <c>250ms</c>, <c>hh:mm:ss</c> (e.g. <c>01:30:00</c>) or whole seconds (<c>90</c>).
/// </summary>
public static class DurationText
{
    /// <summary>What the accepted forms look like, for error messages.</summary>
    public const string Forms = "90s, 5m, 1h30m, hh:mm:ss or whole seconds";

    /// <summary>What the accepted forms look like where a unit is required (<see cref="TryParseWithUnit"/>).</summary>
    public const string UnitForms = "90s, 5m, 1h30m or hh:mm:ss";

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
        long milliseconds = 0;
        var clock = ClockPattern.Match(text);
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
            var units = UnitsPattern.Match(text);
            if (!units.Success || text.Length == 0)
            {
                return false;
            }

            long h = 0, m = 0, s = 0;
            if ((units.Groups[1].Success && !TryNumber(units.Groups[1].Value, out h)) ||
                (units.Groups[2].Success && !TryNumber(units.Groups[2].Value, out m)) ||
                (units.Groups[3].Success && !TryNumber(units.Groups[3].Value, out s)) ||
                (units.Groups[4].Success && !TryNumber(units.Groups[4].Value, out milliseconds)))
            {
                return false;
            }

            seconds = (h * 3600) + (m * 60) + s + (milliseconds / 1000);
            milliseconds %= 1000;
        }

        if (seconds > MaxSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds) + TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    /// <summary>
    /// Like <see cref="TryParse"/>, but bare whole seconds (<c>90</c>) are refused: for places where the unit must be
    /// written out, such as test attributes.
    /// </summary>
    public static bool TryParseWithUnit(string? text, out TimeSpan value)
    {
        if (text is not null && text.Trim().All(char.IsAsciiDigit))
        {
            value = TimeSpan.Zero;
            return false;
        }

        return TryParse(text, out value);
    }

    /// <summary>
    /// Writes <paramref name="value"/> for messages and results, in a form <see cref="TryParse"/> reads back (fractions
    /// of a second aside): under a second in milliseconds (<c>250ms</c>); under two minutes in seconds, as specs and
    /// suites usually write timeouts (<c>60s</c>, <c>90s</c>, <c>1.5s</c>); longer in hours, minutes and seconds
    /// (<c>5m</c>, <c>1h30m</c>, <c>2m5s</c>); zero (or less) is <c>0s</c>. Every message of DeviceTest writes
    /// durations this way.
    /// </summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalMilliseconds}ms");
        }

        if (value < TimeSpan.FromMinutes(2))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###}s");
        }

        var text = new StringBuilder();
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (value.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        var seconds = value.Seconds + (value.Milliseconds / 1000.0);
        if (seconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{seconds:0.###}s");
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

    private static readonly Regex ClockPattern = new(@"^([0-9]+):([0-5][0-9]):([0-5][0-9])$", RegexOptions.CultureInvariant);

    private static readonly Regex UnitsPattern = new(@"^(?=[0-9])(?:([0-9]+)h)?(?:([0-9]+)m(?!s))?(?:([0-9]+)s)?(?:([0-9]+)ms)?$", RegexOptions.CultureInvariant);
}
