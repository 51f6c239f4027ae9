using System.Text;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// Parses a callback body: <c>application/x-www-form-urlencoded</c> pairs separated by <c>&amp;</c> (or newlines),
/// values percent-encoded UTF-8. <c>MESSAGE</c> is required; unknown keys are ignored (a newer script may send more).
/// The <c>secret</c> field is checked by the listener (<see cref="FindSecret"/>) before the body is parsed.
/// </summary>
internal static class CallbackBody
{
    public const int MaxBytes = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The message, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static CallbackMessage? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            error = "the body is not UTF-8 text";
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(['&', '\n']))
        {
            var pair = part.TrimEnd('\r');
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"'{Shorten(pair)}' is not a key=value pair";
                return null;
            }

            var key = pair[..equals];
            var value = Decode(pair.AsSpan(equals + 1), out var decodeError);
            if (value is null)
            {
                error = $"the value of {Shorten(key)} {decodeError}";
                return null;
            }

            if (!values.TryAdd(key, value))
            {
                error = $"{Shorten(key)} is given twice";
                return null;
            }
        }

        if (!values.TryGetValue("MESSAGE", out var message) || message.Length == 0)
        {
            error = "MESSAGE is missing";
            return null;
        }

        if (message.Length > 100 || !message.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            error = $"MESSAGE '{Shorten(message)}' is not a callback name (letters, digits, '-')";
            return null;
        }

        error = null;
        return new CallbackMessage
        {
            Message = message,
            CurrentTarget = values.GetValueOrDefault("CURRENT_TARGET"),
            CurrentTargetName = values.GetValueOrDefault("CURRENT_TARGET_NAME"),
            InstallTargetName = values.GetValueOrDefault("INSTALL_TARGET_NAME"),
            Result = values.GetValueOrDefault("RESULT"),
        };
    }

    /// <summary>The value of the <see cref="CallbackSecret.BodyField"/> field, or null; looked at before anything else is parsed.</summary>
    public static string? FindSecret(ReadOnlySpan<byte> body)
    {
        var prefix = CallbackSecret.BodyField + "=";
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        foreach (var part in text.Split(['&', '\n']))
        {
            var pair = part.TrimEnd('\r');
            if (pair.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Decode(pair.AsSpan(prefix.Length), out _);
            }
        }

        return null;
    }

    private static string? Decode(ReadOnlySpan<char> encoded, out string? error)
    {
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%')
            {
                if (i + 2 >= encoded.Length ||
                    !char.IsAsciiHexDigit(encoded[i + 1]) || !char.IsAsciiHexDigit(encoded[i + 2]))
                {
                    error = "has a '%' that is not followed by two hex digits";
                    return null;
                }

                bytes.Add((byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2])));
                i += 2;
            }
            else if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c > 0x7e || c < 0x20)
            {
                error = "has characters that are not percent-encoded (the callback script encodes every byte)";
                return null;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        string value;
        try
        {
            value = StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            error = "is not UTF-8 text once decoded";
            return null;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            error = "holds a NUL byte";
            return null;
        }

        error = null;
        return value;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static string Shorten(string text)
    {
        var printable = new string([.. text.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 40 ? printable + "..." : printable;
    }
}
