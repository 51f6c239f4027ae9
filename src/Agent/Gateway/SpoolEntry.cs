using System.Text.Json.Serialization;

namespace DeviceTest.Agent.Gateway;

/// <summary>One file in the spool: a test start (<c>POST /tests</c>) or a test completion (<c>PUT /tests/&lt;id&gt;</c>).</summary>
internal sealed class SpoolEntry
{
    public const int CurrentFormat = 1;
    public const string StartKind = "start";
    public const string CompleteKind = "complete";

    [JsonPropertyName("format")]
    public int Format { get; set; } = CurrentFormat;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("test-id")]
    public string TestId { get; set; } = string.Empty;

    /// <summary>When the entry was written (UTC).</summary>
    [JsonPropertyName("written")]
    public DateTimeOffset Written { get; set; }

    /// <summary>Start entries: the Target name sent with <c>POST /tests</c>.</summary>
    [JsonPropertyName("target")]
    public string? Target { get; set; }

    /// <summary>Start entries: the <c>POST /tests</c> body (without the target, added when sent).</summary>
    [JsonPropertyName("post")]
    public TestCreateBody? Post { get; set; }

    /// <summary>Complete entries: the <c>PUT /tests/&lt;id&gt;</c> body; the artifacts are files in the entry's folder.</summary>
    [JsonPropertyName("put")]
    public TestCompleteBody? Put { get; set; }
}
