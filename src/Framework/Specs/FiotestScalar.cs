using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using DeviceTest.Hardware.Yaml;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// fiotest reads specs with PyYAML's <c>safe_load</c> (YAML 1.1) and pydantic v1 turns ints, floats and bools into
/// strings for <c>str</c> fields. This gives the same text for a scalar, so that <c>command: [/bin/sleep, 10]</c>
/// and <c>[echo, yes]</c> mean what they mean in fiotest ("10", "True").
/// </summary>
internal static class FiotestScalar
{
    private static readonly string[] TrueWords = ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
    private static readonly string[] FalseWords = ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];

    /// <summary>The string fiotest gets for <paramref name="scalar"/> (quoted scalars as they are).</summary>
    public static string ToText(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (!YamlDocumentReader.IsPlain(scalar))
        {
            return text;
        }

        if (TrueWords.Contains(text, StringComparer.Ordinal))
        {
            return "True";
        }

        if (FalseWords.Contains(text, StringComparer.Ordinal))
        {
            return "False";
        }

        if (IntPattern.IsMatch(text))
        {
            return ParseInt(text).ToString(CultureInfo.InvariantCulture);
        }

        if (FloatPattern.IsMatch(text))
        {
            return FloatText(text);
        }

        return text;
    }

    private static BigInteger ParseInt(string text)
    {
        var digits = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var negative = digits.StartsWith('-');
        if (digits.StartsWith('-') || digits.StartsWith('+'))
        {
            digits = digits[1..];
        }

        BigInteger value;
        if (digits.Contains(':', StringComparison.Ordinal))
        {
            value = BigInteger.Zero;
            foreach (var part in digits.Split(':'))
            {
                value = (value * 60) + Accumulate(part, 10);
            }
        }
        else if (digits.StartsWith("0b", StringComparison.Ordinal))
        {
            value = Accumulate(digits[2..], 2);
        }
        else if (digits.StartsWith("0x", StringComparison.Ordinal))
        {
            value = Accumulate(digits[2..], 16);
        }
        else if (digits.Length > 1 && digits[0] == '0')
        {
            value = Accumulate(digits[1..], 8);
        }
        else
        {
            value = Accumulate(digits, 10);
        }

        return negative ? -value : value;
    }

    // Decimal digits too, rather than BigInteger.Parse: the pattern allows only digits here, and BigInteger's parser
    // was the only one linked into the native devicetest (docs/native.md).
    private static BigInteger Accumulate(string digits, int radix)
    {
        var value = BigInteger.Zero;
        foreach (var c in digits)
        {
            value = (value * radix) + Convert.ToInt32(c.ToString(), 16);
        }

        return value;
    }

    // Python's repr(float): shortest round-trip digits, positional for exponents -4..15, else d.ddde+XX.
    private static string FloatText(string text)
    {
        var clean = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var lower = clean.ToLowerInvariant();
        if (lower.EndsWith(".inf", StringComparison.Ordinal))
        {
            return lower.StartsWith('-') ? "-inf" : "inf";
        }

        if (lower.EndsWith(".nan", StringComparison.Ordinal))
        {
            return "nan";
        }

        if (clean.Contains(':', StringComparison.Ordinal))
        {
            return text; // base-60 floats: too rare to model; keep the text.
        }

        if (!double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return text;
        }

        var sign = value < 0 || (value == 0 && clean.StartsWith('-')) ? "-" : string.Empty;
        var round = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        if (Math.Abs(value) == 0)
        {
            return sign + "0.0";
        }

        var (digits, exponent) = Decompose(round);
        var result = new StringBuilder(sign);
        if (exponent is >= -4 and < 16)
        {
            if (exponent >= 0)
            {
                var padded = digits.PadRight(exponent + 1, '0');
                result.Append(padded.AsSpan(0, exponent + 1)).Append('.');
                result.Append(padded.Length > exponent + 1 ? padded[(exponent + 1)..] : "0");
            }
            else
            {
                result.Append("0.").Append('0', -exponent - 1).Append(digits);
            }
        }
        else
        {
            result.Append(digits[0]);
            if (digits.Length > 1)
            {
                result.Append('.').Append(digits.AsSpan(1));
            }

            result.Append('e').Append(exponent < 0 ? '-' : '+')
                .Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }

        return result.ToString();
    }

    // "1.5E+20" or "123.45" or "0.001" → significant digits and the power of ten of the first one.
    private static (string Digits, int Exponent) Decompose(string round)
    {
        var e = 0;
        var mantissa = round;
        var at = round.IndexOf('E', StringComparison.Ordinal);
        if (at >= 0)
        {
            e = int.Parse(round[(at + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = round[..at];
        }

        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integer = point >= 0 ? mantissa[..point] : mantissa;
        var fraction = point >= 0 ? mantissa[(point + 1)..] : string.Empty;
        var all = (integer + fraction).TrimStart('0');
        var leadingZeros = (integer + fraction).Length - all.Length;
        var exponent = integer.Length - 1 - leadingZeros + e;
        var digits = all.TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, exponent);
    }

    private static readonly Regex IntPattern = new(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$", RegexOptions.CultureInvariant);

    private static readonly Regex FloatPattern = new(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant);
}
