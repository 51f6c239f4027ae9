using DeviceTest.Agent.Gateway;

namespace DeviceTest.Agent.Ota;

/// <summary>One line of a <c>--results-file</c>: a test record's start or completion.</summary>
internal sealed class RecordLine
{
    /// <summary><c>start</c> or <c>complete</c>.</summary>
    public string Event { get; set; } = string.Empty;

    public string TestId { get; set; } = string.Empty;

    public string? Name { get; set; }

    public string? Target { get; set; }

    public string? Status { get; set; }

    public string? Details { get; set; }

    public IReadOnlyList<GatewayTestResult>? Results { get; set; }

    /// <summary>Artifact file names (as the gateway would see them).</summary>
    public IReadOnlyList<string>? Artifacts { get; set; }

    public DateTimeOffset Time { get; set; }
}
