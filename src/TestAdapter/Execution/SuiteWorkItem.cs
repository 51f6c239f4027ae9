using DeviceTest.Framework.Suites;
using DeviceTest.TestAdapter.Discovery;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>A C# suite with the tests selected in it.</summary>
internal sealed class SuiteWorkItem : WorkItem
{
    private readonly Dictionary<string, TestCase> _byId;

    public SuiteWorkItem(DiscoveredSuite suite, IEnumerable<DiscoveredSuiteTest> selected)
    {
        Suite = suite;
        var tests = selected.ToList();
        Selected = tests.Select(t => t.Test).ToList();
        _byId = tests.ToDictionary(t => t.Test.Id, t => t.TestCase, StringComparer.Ordinal);
        TestCases = tests.Select(t => t.TestCase).ToList();
    }

    public DiscoveredSuite Suite { get; }

    public IReadOnlyList<SuiteTestDescriptor> Selected { get; }

    public override IReadOnlyList<TestCase> TestCases { get; }

    /// <summary>The test case for a result's <c>TestId</c>; null for teardown/dispose results.</summary>
    public TestCase? Find(string resultTestId) => _byId.GetValueOrDefault(resultTestId);

    public override string Describe() => $"suite '{Suite.Descriptor.Name}'";
}
