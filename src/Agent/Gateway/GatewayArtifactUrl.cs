namespace DeviceTest.Agent.Gateway;

/// <summary>Where the gateway wants one artifact: a gateway URL (uploaded over mTLS) or a signed URL (plain PUT).</summary>
public sealed class GatewayArtifactUrl
{
    public string Url { get; set; } = string.Empty;

    public string? ContentType { get; set; }
}
