using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace DeviceTest.Agent.Ota;

/// <summary>Client-made test record ids: 26 characters of base32 from 128 random bits (the gateway accepts
/// <c>^[A-Za-z0-9_-]{15,48}$</c>), so a retried <c>POST /tests</c> never makes a second record.</summary>
internal static class RecordIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string New()
    {
        Span<byte> random = stackalloc byte[17];
        RandomNumberGenerator.Fill(random);
        Span<char> id = stackalloc char[26];
        for (var i = 0; i < id.Length; i++)
        {
            // 26 x 5 bits = 130 bits from 136 random ones.
            var bit = i * 5;
            var value = ((random[bit / 8] << 8) | random[(bit / 8) + 1]) >> (11 - (bit % 8));
            id[i] = Alphabet[value & 31];
        }

        return new string(id);
    }

    public static bool IsValid(string? id) => id is not null && Pattern.IsMatch(id);

    private static readonly Regex Pattern = new("^[A-Za-z0-9_-]{15,48}$", RegexOptions.CultureInvariant);
}
