namespace DeviceTest.Framework.Suites;

/// <summary>What <see cref="SuiteDiscoverer"/> found: suites in type-name order (tests in declaration order) and diagnostics.</summary>
public sealed class SuiteDiscoveryResult
{
    private Dictionary<string, SuiteTestDescriptor>? _byId;

    internal SuiteDiscoveryResult(IReadOnlyList<SuiteDescriptor> suites, IReadOnlyList<SuiteDiagnostic> diagnostics)
    {
        Suites = suites;
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<SuiteDescriptor> Suites { get; }

    public IReadOnlyList<SuiteDiagnostic> Diagnostics { get; }

    /// <summary>All tests of all suites, suite by suite, each suite's in declaration order.</summary>
    public IEnumerable<SuiteTestDescriptor> Tests => Suites.SelectMany(s => s.Tests);

    /// <summary>The test with this <see cref="SuiteTestDescriptor.Id"/> (fully qualified name), or null.</summary>
    public SuiteTestDescriptor? FindTest(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _byId ??= Tests.GroupBy(t => t.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _byId.GetValueOrDefault(id);
    }
}
