using DeviceTest.Framework.Results;

namespace DeviceTest.Agent.Cli;

/// <summary>The arguments of <c>devicetest run</c>.</summary>
internal sealed record RunRequest(
    IReadOnlyList<string> SpecPaths,
    string? DeviceName,
    string? DevicesFile,
    string? JUnitPath,
    string? TrxPath,
    string? ResultsDirectory,
    string? DefaultTimeout)
{
    /// <summary>--leases: where device leases live (an etcd URL); null: DEVICETEST_LEASES, then lock files here.</summary>
    public string? Leases { get; init; }

    /// <summary>--lease-timeout: how long to wait for the device; null: as long as it takes.</summary>
    public string? LeaseTimeout { get; init; }

    /// <summary><c>--junit-subresults</c>: sub-results as testcases of their own (default) or as properties only.</summary>
    public JUnitSubResults JUnitSubResults { get; init; } = JUnitSubResults.TestCases;
}
