namespace DeviceTest.Agent.Cli;

/// <summary>The arguments of <c>devicetest run</c>.</summary>
internal sealed record RunRequest(
    IReadOnlyList<string> SpecPaths,
    string? DeviceName,
    string? DevicesFile,
    string? JUnitPath,
    string? TrxPath,
    string? ResultsDirectory,
    string? DefaultTimeout);
