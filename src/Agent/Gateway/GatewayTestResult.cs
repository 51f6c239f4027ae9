namespace DeviceTest.Agent.Gateway;

/// <summary>One entry of <c>results</c> in <c>PUT /tests/&lt;id&gt;</c>.</summary>
public sealed class GatewayTestResult
{
    public required string Name { get; init; }

    /// <summary><c>PASSED</c>, <c>FAILED</c> or <c>SKIPPED</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Epoch seconds (fiotest's <c>local_ts</c>).</summary>
    public required double LocalTimestamp { get; init; }

    public string? Details { get; init; }

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
