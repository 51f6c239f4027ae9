using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>Discovers the specs and the suites of one test dll.</summary>
internal sealed class SourceDiscovery(ISpecReader specReader, ISuiteReader suiteReader)
{
    public static SourceDiscovery CreateDefault() => new(new FrameworkSpecReader(), new FrameworkSuiteReader());

    public SourceTests Discover(string source, IMessageLogger? logger)
    {
        var (specs, projectDirectory) = new SpecDiscovery(specReader).Discover(source, logger);
        var suites = suiteReader.Read(source, projectDirectory, logger);
        return new SourceTests { Source = source, ProjectDirectory = projectDirectory, Specs = specs, Suites = suites };
    }
}
