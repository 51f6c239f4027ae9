using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Suites;
using DeviceTest.TestAdapter.Discovery;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// A spec or a suite with the tests selected in it, as VSTest sees it: the selected test cases by result id, the
/// tags that decide which device runs it, and the <see cref="IWorkItem"/> that runs it once a device is leased.
/// </summary>
internal sealed class PlannedWorkItem
{
    private readonly Dictionary<string, TestCase> _byResultId;
    private readonly Func<WorkItemSettings, IWorkItem> _create;

    private PlannedWorkItem(
        string description,
        IReadOnlyList<(string ResultId, TestCase TestCase)> tests,
        IReadOnlyList<string> requiredTags,
        IReadOnlyList<string> wantedTags,
        Func<WorkItemSettings, IWorkItem> create)
    {
        Description = description;
        _byResultId = tests.ToDictionary(t => t.ResultId, t => t.TestCase, StringComparer.Ordinal);
        TestCases = [.. tests.Select(t => t.TestCase)];
        RequiredTags = requiredTags;
        WantedTags = wantedTags;
        _create = create;
    }

    /// <summary>"spec 'smoke' (/path/smoke.spec.yml)" / "suite 'Network'", for messages.</summary>
    public string Description { get; }

    /// <summary>The selected tests' cases, to fail them when the item cannot run at all.</summary>
    public IReadOnlyList<TestCase> TestCases { get; }

    /// <summary>
    /// The tags a device must have to run the item: a spec's <c>requires.tags</c>; a suite's <c>[RequiresTags]</c> on
    /// the class (hard), plus those on its selected tests (wanted: see <see cref="WantedTags"/>).
    /// </summary>
    public IReadOnlyList<string> RequiredTags { get; }

    /// <summary>Tags the item would rather have (a suite's per-test tags); used only when some device of the pool has them.</summary>
    public IReadOnlyList<string> WantedTags { get; }

    /// <summary>The test source (dll) of the item, for results that are not a discovered test (a failed teardown).</summary>
    public string Source => TestCases[0].Source;

    /// <summary>A spec with the tests selected in it (all of them, or a filter's or the IDE's choice).</summary>
    public static PlannedWorkItem ForSpec(DiscoveredSpec spec, IReadOnlyList<DiscoveredTest> selected)
    {
        var all = selected.Count == spec.Tests.Count;
        var chosen = selected.Select(t => t.Test).ToHashSet();
        return new PlannedWorkItem(
            $"spec '{spec.Spec.Name}' ({spec.FilePath})",
            [.. selected.Select(t => (spec.Spec.ResultId(t.Test), t.TestCase))],
            spec.Spec.RequiredTags,
            spec.Spec.RequiredTags,
            settings => new SpecWorkItem(spec.Spec, new RunOptions
            {
                DefaultTimeout = settings.DefaultTimeout ?? new RunOptions().DefaultTimeout,
                ResultsDirectory = settings.ResultsDirectory,
                TestFilter = all ? null : chosen.Contains,
                AfterReboot = settings.AfterReboot,
                Environment = settings.Environment ?? new Dictionary<string, string>(), // Leases
                BeforeTest = settings.BeforeTest, // Leases
            }));
    }

    /// <summary>A C# suite with the tests selected in it.</summary>
    public static PlannedWorkItem ForSuite(DiscoveredSuite suite, IReadOnlyList<DiscoveredSuiteTest> selected)
    {
        var tests = selected.Select(t => t.Test).ToList();
        return new PlannedWorkItem(
            $"suite '{suite.Descriptor.Name}'",
            [.. selected.Select(t => (t.Test.Id, t.TestCase))],
            suite.Descriptor.RequiredTags,
            [.. suite.Descriptor.RequiredTags.Concat(tests.SelectMany(t => t.RequiredTags)).Distinct(StringComparer.OrdinalIgnoreCase)],
            settings => new SuiteWorkItem(tests, new SuiteRunOptions
            {
                DefaultTimeout = settings.DefaultTimeout ?? TimeSpan.FromMinutes(10),
                ResultsDirectory = settings.ResultsDirectory,
            }));
    }

    /// <summary>The item to run on one device, with the run's settings.</summary>
    public IWorkItem Create(WorkItemSettings settings) => _create(settings);

    /// <summary>The test case for a result's <c>TestId</c>; null for results that are not a selected test (a teardown).</summary>
    public TestCase? Find(string resultTestId) => _byResultId.GetValueOrDefault(resultTestId);
}
