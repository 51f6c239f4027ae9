using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// The secret the callback script proves itself with: 256 random bits (hex), written only into the callback script
/// (mode 0700, owned by the agent's user: root), never into an argv, a log or another file. It is kept across restarts
/// (read back from the script), so a callback that retries while the agent restarts still gets in; a script other
/// users could read gets a new one. The listener compares in constant time.
/// </summary>
internal sealed partial class CallbackSecret
{
    /// <summary>The body field that carries it (the script's tools cannot send a header without putting it in an argv).</summary>
    public const string BodyField = "secret";

    private const UnixFileMode OthersAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly byte[] _hash;

    private CallbackSecret(string value)
    {
        Value = value;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    public string Value { get; }

    public static CallbackSecret New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    /// <summary>The secret in the script at <paramref name="scriptPath"/> when it is private (0700), else a new one.</summary>
    public static CallbackSecret ForScript(string scriptPath)
    {
        try
        {
            if (File.Exists(scriptPath) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(scriptPath) & OthersAccess) == 0) &&
                Line().Match(File.ReadAllText(scriptPath)) is { Success: true } found)
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

    /// <summary>True when <paramref name="candidate"/> is the secret (constant time; hashing first hides the length too).</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));

    /// <summary>The script's line that holds the secret.</summary>
    public string ScriptLine() => $"secret='{Value}'";

    [GeneratedRegex("^secret='([0-9a-f]{64})'$", RegexOptions.Multiline)]
    private static partial Regex Line();
}
