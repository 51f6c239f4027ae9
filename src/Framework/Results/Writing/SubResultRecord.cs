namespace DeviceTest.Framework.Results.Writing;

/// <summary>A sub-result in the format-neutral shape: text already cleaned for XML.</summary>
internal sealed record SubResultRecord(
    string Name,
    TestOutcome Outcome,
    DateTimeOffset Timestamp,
    string Details,
    IReadOnlyList<KeyValuePair<string, string>> Metrics);
