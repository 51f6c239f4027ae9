namespace DeviceTest.Framework.Specs;

/// <summary>A <c>tests:</c> step, with its optional <c>repeat</c>.</summary>
public sealed class TestsStep : SpecStep
{
    public required IReadOnlyList<SpecTest> Tests { get; init; }

    /// <summary>Null: the tests run once.</summary>
    public RepeatPolicy? Repeat { get; init; }
}
