namespace DeviceTest.Agent.Tests.Ota;

/// <summary>A completed agent record as <see cref="CapturingReporter"/> kept it: artifacts by file name, with their content.</summary>
internal sealed record CapturedRecord(
    string Name, string Status, string? Details, IReadOnlyList<string> SubResults, IReadOnlyDictionary<string, string> Artifacts);
