namespace DeviceTest.Agent.Gateway;

/// <summary>One file in the spool: a test start (<c>POST /tests</c>) or a test completion (<c>PUT /tests/&lt;id&gt;</c>).</summary>
internal sealed class SpoolEntry
{
    public const int CurrentFormat = 1;
    public const string StartKind = "start";
    public const string CompleteKind = "complete";

    public int Format { get; set; } = CurrentFormat;

    public string Kind { get; set; } = string.Empty;

    public string TestId { get; set; } = string.Empty;

    /// <summary>When the entry was written (UTC).</summary>
    public DateTimeOffset Written { get; set; }

    /// <summary>Start entries: the Target name sent with <c>POST /tests</c>.</summary>
    public string? Target { get; set; }

    /// <summary>
    /// Start entries: the Target name as the <c>x-ats-target</c> header carries it (<see cref="WireFormat.TargetHeaderValue"/>);
    /// null in entries of older agents (then computed when sent).
    /// </summary>
    public string? TargetHeader { get; set; }

    /// <summary>Start entries: the <c>POST /tests</c> body (without the target, added when sent).</summary>
    public TestCreateBody? Post { get; set; }

    /// <summary>Complete entries: the <c>PUT /tests/&lt;id&gt;</c> body; the artifacts are files in the entry's folder.</summary>
    public TestCompleteBody? Put { get; set; }

    /// <summary>What is wrong with the entry read from a file named as a <paramref name="fileKind"/> entry, or null.</summary>
    public string? Problem(string fileKind)
    {
        if (Format != CurrentFormat)
        {
            return $"format {Format} is not known to this agent (it writes format {CurrentFormat})";
        }

        if (!string.Equals(Kind, fileKind, StringComparison.Ordinal))
        {
            return $"the file name says '{fileKind}' but the entry says '{Kind}'";
        }

        if (!WireFormat.TestIdPattern.IsMatch(TestId ?? string.Empty))
        {
            return $"test-id '{TestId}' is missing or invalid";
        }

        if (Kind == StartKind)
        {
            return Post is null || string.IsNullOrEmpty(Post.Name) || Post.TestId != TestId ? "a start entry needs \"post\" with the name and the same test-id" : null;
        }

        if (Put is null || Put.Results is null)
        {
            return "a complete entry needs \"put\" with \"results\"";
        }

        foreach (var name in Put.Artifacts ?? [])
        {
            if (string.IsNullOrEmpty(name) || name != Path.GetFileName(name) || name is "." or "..")
            {
                return $"artifact name '{name}' is not a plain file name";
            }
        }

        return null;
    }
}
