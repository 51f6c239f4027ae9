namespace DeviceTest.Hardware.Deployment;

/// <summary>Permission bits written in octal ("755", "0644").</summary>
internal static class Octal
{
    public static bool TryParseMode(string? text, out int mode)
    {
        mode = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var digits = text.Trim();
        if (digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        if (digits.Length is 0 or > 5)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            mode = (mode * 8) + (c - '0');
        }

        return mode <= 0xFFF;
    }
}
