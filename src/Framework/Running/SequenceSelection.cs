using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Which steps of a spec a filtered run runs (<see cref="RunOptions.TestFilter"/>): a tests step when one of its
/// tests is selected; any other step (a reboot...) when a selected test comes after it, or when no test comes after
/// it (it ends the spec) and the last tests step before it has a selected test. Without a filter every step runs.
/// </summary>
internal sealed class SequenceSelection
{
    private readonly TestSpec _spec;
    private readonly bool _filtered;
    private readonly bool[] _hasSelected;

    public SequenceSelection(TestSpec spec, Func<SpecTest, bool>? filter)
    {
        _spec = spec;
        _filtered = filter is not null;
        _hasSelected = [.. spec.Sequence.Select(step => step is TestsStep tests && tests.Tests.Any(t => filter?.Invoke(t) ?? true))];
    }

    /// <summary>Whether the step at <paramref name="index"/> runs.</summary>
    public bool Runs(int index) => _spec.Sequence[index] is TestsStep ? _hasSelected[index] : BelongsToRun(index);

    private bool BelongsToRun(int index)
    {
        if (!_filtered || _hasSelected.Skip(index + 1).Any(selected => selected))
        {
            return true;
        }

        if (_spec.Sequence.Skip(index + 1).OfType<TestsStep>().Any(step => step.Tests.Count > 0))
        {
            return false;
        }

        for (var before = index - 1; before >= 0; before--)
        {
            if (_spec.Sequence[before] is TestsStep { Tests.Count: > 0 })
            {
                return _hasSelected[before];
            }
        }

        return false;
    }
}
