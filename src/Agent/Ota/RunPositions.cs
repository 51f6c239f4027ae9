using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Agent.Ota;

/// <summary>Where a run goes on after a test: the next test of the step, the step's next repeat, or the next step.</summary>
internal static class RunPositions
{
    public static RunPosition After(TestSpec spec, RunPosition position)
    {
        if (position.StepIndex >= spec.Sequence.Count || spec.Sequence[position.StepIndex] is not TestsStep step)
        {
            return new RunPosition(position.StepIndex + 1, 0, 1);
        }

        if (position.TestIndex + 1 < step.Tests.Count)
        {
            return position with { TestIndex = position.TestIndex + 1 };
        }

        var again = step.Repeat is { } repeat && (repeat.IsForever || position.Iteration < repeat.Total);
        return again
            ? new RunPosition(position.StepIndex, 0, position.Iteration + 1)
            : new RunPosition(position.StepIndex + 1, 0, 1);
    }
}
