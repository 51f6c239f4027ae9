using System.Globalization;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>How times and numbers are written in result files (always invariant culture).</summary>
internal static class ResultFormat
{
    /// <summary>
    /// Seconds with up to seven decimals. Never 0 for a test: GitLab treats a zero time as missing, so the
    /// smallest value written is 0.0000001 (as JUnitXml.TestLogger does).
    /// </summary>
    public static string Seconds(TimeSpan duration, bool atLeastTick = true)
    {
        var seconds = Math.Max(duration.TotalSeconds, atLeastTick ? 0.0000001 : 0);
        return seconds.ToString("0.0######", CultureInfo.InvariantCulture);
    }

    /// <summary>ISO 8601 with the offset, to the second (JUnit's timestamp).</summary>
    public static string IsoSeconds(DateTimeOffset time) =>
        time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 with seven fraction digits and the offset, as VSTest writes TRX times.</summary>
    public static string TrxTime(DateTimeOffset time) =>
        time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// A TRX duration, always <c>hh:mm:ss.fffffff</c> with two-digit total hours: dorny/test-reporter rejects any
    /// other shape (a day prefix or three-digit hours fail the whole report), so durations from 100 hours on are
    /// written as 99:59:59.9999999.
    /// </summary>
    public static string TrxDuration(TimeSpan duration)
    {
        var max = TimeSpan.FromHours(100) - TimeSpan.FromTicks(1);
        duration = duration < TimeSpan.Zero ? TimeSpan.Zero : duration > max ? max : duration;
        var fraction = (duration.Ticks % TimeSpan.TicksPerSecond).ToString("0000000", CultureInfo.InvariantCulture);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{(int)duration.TotalHours:00}:{duration.Minutes:00}:{duration.Seconds:00}.{fraction}");
    }

    public static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);
}
