using System.Globalization;

namespace DeviceTest.Hardware.Deployment;

/// <summary>What one deploy did.</summary>
internal sealed record DeploySummary(int FilesSent, int FilesSkipped, long BytesSent, TimeSpan Elapsed)
{
    public override string ToString()
    {
        var seconds = Math.Max(Elapsed.TotalSeconds, 0.001);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{FilesSent} file(s) sent, {FilesSkipped} unchanged file(s) skipped, {Size(BytesSent)} in {Elapsed.TotalSeconds:F2} s ({Size((long)(BytesSent / seconds))}/s)");
    }

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
