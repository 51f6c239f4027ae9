using System.Globalization;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Tasks;

/// <summary>Durations in task parameters: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>hh:mm:ss</c> or plain seconds.</summary>
internal static class Durations
{
    public static bool TryParse(string? text, TimeSpan fallback, out TimeSpan value)
    {
        value = fallback;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < 1e7)
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return DurationText.TryParse(text.Trim(), out value) && value > TimeSpan.Zero;
    }
}
