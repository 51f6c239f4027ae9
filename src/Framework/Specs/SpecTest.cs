using DeviceTest.Hardware;

namespace DeviceTest.Framework.Specs;

/// <summary>One test of a <c>tests:</c> step.</summary>
public sealed class SpecTest
{
    public required string Name { get; init; }

    public required CommandLine Command { get; init; }

    /// <summary>Null: the run's default timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>fiotest's <c>on_host</c>; matters only to the agent running in a container.</summary>
    public bool OnHost { get; init; }

    /// <summary>Where <c>- name:</c> stands (the test's mapping).</summary>
    public required SourcePosition Position { get; init; }

    /// <summary>0-based index of the step this test belongs to.</summary>
    public required int StepIndex { get; init; }

    /// <summary>
    /// A name unique within the spec: <see cref="Name"/>, or <c>Name (step N)</c> when the same name is used in
    /// more than one step (N is 1-based).
    /// </summary>
    public required string UniqueName { get; init; }

    /// <summary>This test under another <see cref="UniqueName"/>.</summary>
    internal SpecTest WithUniqueName(string uniqueName) => new()
    {
        Name = Name,
        Command = Command,
        Timeout = Timeout,
        Environment = Environment,
        OnHost = OnHost,
        Position = Position,
        StepIndex = StepIndex,
        UniqueName = uniqueName,
    };
}
