namespace DeviceTest.Framework.Running;

/// <summary>One execution of a test in its step: the test's 0-based index there, the 1-based iteration, and whether the step repeats.</summary>
internal readonly record struct TestRound(int TestIndex, long Iteration, bool IsRepeated)
{
    /// <summary>The iteration as results carry it (a soak's count beyond int.MaxValue stays there).</summary>
    public int ResultIteration => (int)Math.Min(Iteration, int.MaxValue);
}
