using DeviceTest.Framework.Specs;
using DeviceTest.TestAdapter.Discovery;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>A spec with the tests selected in it (all of them, or a filter's or the IDE's choice).</summary>
internal sealed class SpecWorkItem : WorkItem
{
    private readonly Dictionary<string, TestCase> _byResultId;
    private readonly HashSet<SpecTest> _selected;

    public SpecWorkItem(DiscoveredSpec spec, IEnumerable<DiscoveredTest> selected)
    {
        Spec = spec;
        var tests = selected.ToList();
        _selected = [.. tests.Select(t => t.Test)];
        _byResultId = tests.ToDictionary(t => ResultId(spec.Spec, t.Test), t => t.TestCase, StringComparer.Ordinal);
        TestCases = tests.Select(t => t.TestCase).ToList();
        AllSelected = tests.Count == spec.Tests.Count;
    }

    public DiscoveredSpec Spec { get; }

    public override IReadOnlyList<TestCase> TestCases { get; }

    /// <summary>True when every test of the spec runs (no filter is handed to the runner).</summary>
    public bool AllSelected { get; }

    public bool IsSelected(SpecTest test) => _selected.Contains(test);

    /// <summary>The test case for a result of the spec runner (its <c>TestId</c> is <c>spec/stepIndex/uniqueName</c>).</summary>
    public TestCase? Find(string resultTestId) => _byResultId.GetValueOrDefault(resultTestId);

    public override string Describe() => $"spec '{Spec.Spec.Name}' ({Spec.FilePath})";

    private static string ResultId(TestSpec spec, SpecTest test) => $"{spec.Name}/{test.StepIndex}/{test.UniqueName}";
}
