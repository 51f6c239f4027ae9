namespace DeviceTest.Agent.Gateway;

/// <summary>Timeouts and wire choices for <see cref="GatewayClient"/>.</summary>
public sealed class GatewayClientOptions
{
    /// <summary>Time to open a TCP connection and finish the TLS handshake.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Time for a whole <c>POST /tests</c> or <c>PUT /tests/&lt;id&gt;</c>, answer included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time for one artifact upload.</summary>
    public TimeSpan ArtifactTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TargetNameSending TargetName { get; init; } = TargetNameSending.HeaderAndBody;
}
