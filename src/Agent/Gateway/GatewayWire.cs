namespace DeviceTest.Agent.Gateway;

/// <summary>The body of <c>POST /tests</c>.</summary>
internal sealed class TestCreateBody
{
    public string Name { get; set; } = string.Empty;

    public string TestId { get; set; } = string.Empty;

    public string? Target { get; set; }
}

/// <summary>The body of <c>PUT /tests/&lt;id&gt;</c>.</summary>
internal sealed class TestCompleteBody
{
    public string Status { get; set; } = "PASSED";

    public string? Details { get; set; }

    public List<TestResultBody> Results { get; set; } = [];

    public List<string>? Artifacts { get; set; }
}

/// <summary>One entry of <c>results</c>.</summary>
internal sealed class TestResultBody
{
    public string Name { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public double LocalTimestamp { get; set; }

    public string? Details { get; set; }

    public Dictionary<string, double>? Metrics { get; set; }
}
