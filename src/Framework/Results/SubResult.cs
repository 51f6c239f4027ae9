namespace DeviceTest.Framework.Results;

/// <summary>A sub-result a test wrote under <c>TEST_DIR</c> (fiotest's <c>&lt;epoch&gt;-&lt;name&gt;/</c> protocol).</summary>
public sealed class SubResult
{
    public required string Name { get; init; }

    public required TestOutcome Outcome { get; init; }

    /// <summary>The epoch seconds from the directory name (fiotest's <c>local_ts</c>).</summary>
    public required double LocalTimestamp { get; init; }

    /// <summary>The content of its <c>log</c> file, if any.</summary>
    public string? Details { get; init; }

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
