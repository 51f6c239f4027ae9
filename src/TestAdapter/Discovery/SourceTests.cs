using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>Everything DeviceTest found for one test dll.</summary>
internal sealed class SourceTests
{
    public required string Source { get; init; }

    /// <summary>The project directory named by the build's manifest, or null.</summary>
    public string? ProjectDirectory { get; init; }

    public required IReadOnlyList<DiscoveredSpec> Specs { get; init; }

    public required IReadOnlyList<DiscoveredSuite> Suites { get; init; }

    public IEnumerable<TestCase> AllTestCases =>
        Specs.SelectMany(s => s.Tests).Select(t => t.TestCase).Concat(Suites.SelectMany(s => s.Tests).Select(t => t.TestCase));
}
