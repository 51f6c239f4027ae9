using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>What one device runs in one go: a spec or a suite, with the tests selected in it.</summary>
internal abstract class WorkItem
{
    /// <summary>"spec smoke" / "suite HelloDevice.NetworkSuite", for messages.</summary>
    public abstract string Describe();

    /// <summary>The selected tests' cases, to fail them when the item cannot run at all.</summary>
    public abstract IReadOnlyList<TestCase> TestCases { get; }

    /// <summary>
    /// The tags a device must have to run the item: a spec's <c>requires.tags</c>; a suite's <c>[RequiresTags]</c> on
    /// the class (hard), plus those on its selected tests (wanted: see <see cref="WantedTags"/>).
    /// </summary>
    public abstract IReadOnlyList<string> RequiredTags { get; }

    /// <summary>Tags the item would rather have (a suite's per-test tags); used only when some device of the pool has them.</summary>
    public virtual IReadOnlyList<string> WantedTags => RequiredTags;
}
