namespace DeviceTest.Agent.Gateway;

/// <summary>The body of <c>PUT /tests/&lt;id&gt;</c>, plus the local files to upload as artifacts.</summary>
public sealed class GatewayTestCompletion
{
    /// <summary><c>PASSED</c> or <c>FAILED</c>.</summary>
    public required string Status { get; init; }

    public string? Details { get; init; }

    public IReadOnlyList<GatewayTestResult> Results { get; init; } = [];

    /// <summary>Local files to upload; the gateway sees their file names. The reporter copies them into its spool.</summary>
    public IReadOnlyList<string> ArtifactPaths { get; init; } = [];
}
