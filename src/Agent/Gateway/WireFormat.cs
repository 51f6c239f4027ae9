using System.Text.RegularExpressions;

namespace DeviceTest.Agent.Gateway;

/// <summary>Checks and converts the reporter's records into what the gateway accepts.</summary>
internal static class WireFormat
{
    /// <summary>Longest details text sent; the gateway limits request bodies (dg-satellite: 100 KB).</summary>
    public const int MaxDetailsChars = 16 * 1024;

    private const string TruncatedNote = "\n[... truncated by devicetest agent]";

    internal static readonly Regex TestIdPattern = new("^[A-Za-z0-9_-]{15,48}$");

    public static void CheckTestId(string testId)
    {
        ArgumentNullException.ThrowIfNull(testId);
        if (!TestIdPattern.IsMatch(testId))
        {
            throw new ArgumentException($"test id '{testId}' must match ^[A-Za-z0-9_-]{{15,48}}$ (the device gateway refuses others)", nameof(testId));
        }
    }

    /// <summary>
    /// <paramref name="targetName"/> as the <c>x-ats-target</c> header carries it: as it is when it is printable ASCII
    /// without leading or trailing blanks (every normal Target name), else percent-encoded UTF-8 (HTTP headers cannot
    /// carry other bytes; the body's <c>target</c> field keeps the real name).
    /// </summary>
    public static string TargetHeaderValue(string targetName)
    {
        ArgumentNullException.ThrowIfNull(targetName);
        return IsHeaderSafe(targetName) ? targetName : Uri.EscapeDataString(targetName);
    }

    /// <summary>True when <paramref name="value"/> can be an HTTP header value byte for byte.</summary>
    public static bool IsHeaderSafe(string value) =>
        value.Length > 0 && value.All(c => c is >= ' ' and <= '~') && value[0] != ' ' && value[^1] != ' ';

    public static TestCompleteBody ToBody(GatewayTestCompletion completion, AgentLog log)
    {
        if (completion.Status is not ("PASSED" or "FAILED"))
        {
            throw new ArgumentException($"test status '{completion.Status}' must be PASSED or FAILED (the device gateway refuses others)", nameof(completion));
        }

        var body = new TestCompleteBody
        {
            Status = completion.Status,
            Details = Truncate(completion.Details),
        };
        foreach (var r in completion.Results)
        {
            if (r.Status is not ("PASSED" or "FAILED" or "SKIPPED"))
            {
                throw new ArgumentException($"result '{r.Name}' has status '{r.Status}'; it must be PASSED, FAILED or SKIPPED", nameof(completion));
            }

            Dictionary<string, double>? metrics = null;
            foreach (var (key, value) in r.Metrics)
            {
                if (!double.IsFinite(value))
                {
                    log.Warning($"result '{r.Name}': metric '{key}' is {value}, which JSON cannot carry; it is left out");
                    continue;
                }

                (metrics ??= new Dictionary<string, double>(StringComparer.Ordinal))[key] = value;
            }

            body.Results.Add(new TestResultBody
            {
                Name = r.Name,
                Status = r.Status,
                LocalTimestamp = double.IsFinite(r.LocalTimestamp) ? r.LocalTimestamp : 0,
                Details = Truncate(r.Details),
                Metrics = metrics,
            });
        }

        if (completion.ArtifactPaths.Count > 0)
        {
            body.Artifacts = [];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in completion.ArtifactPaths)
            {
                var name = Path.GetFileName(path);
                if (name.Length == 0 || name is "." or "..")
                {
                    throw new ArgumentException($"artifact '{path}' has no file name", nameof(completion));
                }

                if (!seen.Add(name))
                {
                    throw new ArgumentException($"two artifacts are named '{name}'; the gateway keeps artifacts by file name", nameof(completion));
                }

                body.Artifacts.Add(name);
            }
        }

        return body;
    }

    private static string? Truncate(string? text) =>
        text is null || text.Length <= MaxDetailsChars ? text : text[..(MaxDetailsChars - TruncatedNote.Length)] + TruncatedNote;
}
