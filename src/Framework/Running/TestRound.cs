namespace DeviceTest.Framework.Running;

/// <summary>One execution of a test in its step: the test's 0-based index there, the 1-based iteration, and whether the step repeats.</summary>
internal readonly record struct TestRound(int TestIndex, long Iteration, bool IsRepeated)
{
    /// <summary>
    /// How many more test executions the step runs after this one (<see cref="long.MaxValue"/>: it repeats forever),
    /// so that no more work directories are made ahead than will be used.
    /// </summary>
    public long Following { get; init; }

    /// <summary>The iteration as results carry it (a soak's count beyond int.MaxValue stays there).</summary>
    public int ResultIteration => (int)Math.Min(Iteration, int.MaxValue);
}
