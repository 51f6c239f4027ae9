using System.Text.Json.Serialization;

namespace DeviceTest.Agent.Gateway;

/// <summary>Where the gateway wants one artifact: a gateway URL (uploaded over mTLS) or a signed URL (plain PUT).</summary>
public sealed class GatewayArtifactUrl
{
    [JsonPropertyName("url")]
    public string Url { get; set; } = string.Empty;

    [JsonPropertyName("content-type")]
    public string? ContentType { get; set; }
}
