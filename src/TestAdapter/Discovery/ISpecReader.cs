using DeviceTest.Framework.Specs;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>Loads one spec file (the Framework's spec loader; tests pass their own).</summary>
internal interface ISpecReader
{
    SpecLoadResult Load(string path);
}
