using System.Globalization;
using System.Text;

namespace DeviceTest.Framework.Running;

/// <summary>Durations the way specs write them: <c>60s</c>, <c>5m</c>, <c>1h30m</c>, <c>0.5s</c>.</summary>
internal static class DurationText
{
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(120) || duration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
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

        if (duration.Seconds > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{duration.Seconds}s");
        }

        return builder.ToString();
    }
}
