using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// The secret the callback script proves itself with: 256 random bits (hex), written only into the callback script
/// (mode 0700, owned by the agent's user: root), never into an argv, a log or another file. It is kept across restarts
/// (read back from the script), so a callback that retries while the agent restarts still gets in; a script other
/// users could read gets a new one. The listener compares in constant time. Nothing here needs OpenSSL once the secret
/// exists (a hash would map libcrypto, 3.5 MB, into the idle agent).
/// </summary>
internal sealed class CallbackSecret
{
    /// <summary>The body field that carries it (the script's tools cannot send a header without putting it in an argv).</summary>
    public const string BodyField = "secret";

    private const UnixFileMode OthersAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly byte[] _bytes;

    private CallbackSecret(string value)
    {
        Value = value;
        _bytes = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    public static CallbackSecret New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    /// <summary>The secret in the script at <paramref name="scriptPath"/> when it is private (0700), else a new one.</summary>
    public static CallbackSecret ForScript(string scriptPath)
    {
        try
        {
            if (File.Exists(scriptPath) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(scriptPath) & OthersAccess) == 0) &&
                Line.Match(File.ReadAllText(scriptPath)) is { Success: true } found)
            {
                return new CallbackSecret(found.Groups[1].Value);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable: make a new one (the script is rewritten with it).
        }

        return New();
    }

    /// <summary>
    /// True when <paramref name="candidate"/> is the secret. The comparison takes the same time whatever the candidate's
    /// bytes and length: it always compares as many bytes as the secret has (the candidate cut or padded to that
    /// length), and a candidate of another length never matches.
    /// </summary>
    public bool Matches(string? candidate)
    {
        if (candidate is null)
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(candidate);
        Span<byte> same = stackalloc byte[_bytes.Length];
        given.AsSpan(0, Math.Min(given.Length, same.Length)).CopyTo(same);
        return CryptographicOperations.FixedTimeEquals(_bytes, same) & given.Length == _bytes.Length;
    }

    /// <summary>The script's line that holds the secret.</summary>
    public string ScriptLine() => $"secret='{Value}'";

    private static readonly Regex Line = new("^secret='([0-9a-f]{64})'$", RegexOptions.Multiline);
}
