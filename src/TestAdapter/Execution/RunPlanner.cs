using DeviceTest.TestAdapter.Discovery;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>Turns discovered tests and a selection into work items: one per spec or suite with selected tests.</summary>
internal static class RunPlanner
{
    public static List<PlannedWorkItem> Plan(IEnumerable<SourceTests> sources, Func<TestCase, bool> isSelected)
    {
        var items = new List<PlannedWorkItem>();
        foreach (var source in sources)
        {
            foreach (var spec in source.Specs)
            {
                var selected = spec.Tests.Where(t => isSelected(t.TestCase)).ToList();
                if (selected.Count > 0)
                {
                    items.Add(PlannedWorkItem.ForSpec(spec, selected));
                }
            }

            foreach (var suite in source.Suites)
            {
                var selected = suite.Tests.Where(t => isSelected(t.TestCase)).ToList();
                if (selected.Count > 0)
                {
                    items.Add(PlannedWorkItem.ForSuite(suite, selected));
                }
            }
        }

        return items;
    }
}
