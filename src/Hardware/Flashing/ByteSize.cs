using System.Globalization;

namespace DeviceTest.Hardware.Flashing;

/// <summary>Sizes and speeds for people: 512 B, 1.5 KiB, 220 MiB, 1.0 GiB.</summary>
public static class ByteSize
{
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>"95 MiB/s".</summary>
    public static string Speed(double bytesPerSecond) => Format((long)bytesPerSecond) + "/s";
}
