using DeviceTest.Framework.Specs;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>Loads specs with the Framework's <see cref="SpecLoader"/> (the same rules as <c>devicetest run</c>).</summary>
internal sealed class FrameworkSpecReader : ISpecReader
{
    public SpecLoadResult Load(string path) => SpecLoader.Load(path);
}
