namespace DeviceTest.Tasks.Tests;

/// <summary>Removes the packed feed once every test of the assembly has run.</summary>
[TestClass]
public sealed class PackedFeedCleanup
{
    [AssemblyCleanup]
    public static void DeleteFeed() => PackedFeed.Delete();
}
