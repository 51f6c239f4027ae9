using System.Globalization;

namespace DeviceTest.Framework.Running;

/// <summary>Durations the way specs write them: <c>60s</c>, <c>5m</c>, <c>1h30m</c>, <c>0.5s</c>.</summary>
internal static class DurationText
{
    /// <summary>
    /// Seconds under two minutes or with a fraction (<c>60s</c>, <c>90s</c>, <c>0.5s</c>); otherwise the unit form of
    /// <see cref="Hardware.Configuration.DurationText.Format"/> (<c>5m</c>, <c>1h30m</c>).
    /// </summary>
    public static string Format(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(120) || duration.Ticks % TimeSpan.TicksPerSecond != 0
            ? duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
            : Hardware.Configuration.DurationText.Format(duration);
}
