using System.Text.Json.Serialization;

namespace DeviceTest.Agent.Gateway;

/// <summary>The body of <c>POST /tests</c>.</summary>
internal sealed class TestCreateBody
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("test-id")]
    public string TestId { get; set; } = string.Empty;

    [JsonPropertyName("target")]
    public string? Target { get; set; }
}

/// <summary>The body of <c>PUT /tests/&lt;id&gt;</c>.</summary>
internal sealed class TestCompleteBody
{
    [JsonPropertyName("status")]
    public string Status { get; set; } = "PASSED";

    [JsonPropertyName("details")]
    public string? Details { get; set; }

    [JsonPropertyName("results")]
    public List<TestResultBody> Results { get; set; } = [];

    [JsonPropertyName("artifacts")]
    public List<string>? Artifacts { get; set; }
}

/// <summary>One entry of <c>results</c>.</summary>
internal sealed class TestResultBody
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("status")]
    public string Status { get; set; } = string.Empty;

    [JsonPropertyName("local_ts")]
    public double LocalTimestamp { get; set; }

    [JsonPropertyName("details")]
    public string? Details { get; set; }

    [JsonPropertyName("metrics")]
    public Dictionary<string, double>? Metrics { get; set; }
}
