using DeviceTest.Framework.Suites;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>A C# <c>[DeviceSuite]</c> class with its tests as test cases, in declaration order.</summary>
internal sealed class DiscoveredSuite
{
    public required SuiteDescriptor Descriptor { get; init; }

    public required IReadOnlyList<DiscoveredSuiteTest> Tests { get; init; }
}
