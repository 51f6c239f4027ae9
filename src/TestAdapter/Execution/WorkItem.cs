using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>What one device runs in one go: a spec or a suite, with the tests selected in it.</summary>
internal abstract class WorkItem
{
    /// <summary>"spec smoke" / "suite HelloDevice.NetworkSuite", for messages.</summary>
    public abstract string Describe();

    /// <summary>The selected tests' cases, to fail them when the item cannot run at all.</summary>
    public abstract IReadOnlyList<TestCase> TestCases { get; }
}
