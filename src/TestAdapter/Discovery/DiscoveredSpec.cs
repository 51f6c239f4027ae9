using DeviceTest.Framework.Specs;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>A loaded spec with its tests as test cases, in spec order.</summary>
internal sealed class DiscoveredSpec
{
    public required TestSpec Spec { get; init; }

    /// <summary>The absolute path of the spec file.</summary>
    public required string FilePath { get; init; }

    /// <summary>The FQN's class segment for this spec.</summary>
    public required string ClassSegment { get; init; }

    public required IReadOnlyList<DiscoveredTest> Tests { get; init; }
}
