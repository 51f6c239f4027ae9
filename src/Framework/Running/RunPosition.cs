namespace DeviceTest.Framework.Running;

/// <summary>
/// A place in a spec run: the step (0-based index in <c>sequence</c>), the test within that step (0-based index in
/// its <c>tests</c>) and the repeat iteration (1-based). The agent persists it to resume a run after a reboot.
/// </summary>
public sealed record RunPosition(int StepIndex, int TestIndex, long Iteration)
{
    /// <summary>The first test of the first step.</summary>
    public static RunPosition Start { get; } = new(0, 0, 1);
}
