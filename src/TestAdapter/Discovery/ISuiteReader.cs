using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>Finds the <c>[DeviceSuite]</c> classes of a test dll.</summary>
internal interface ISuiteReader
{
    /// <param name="source">The test dll.</param>
    /// <param name="projectDirectory">The project directory from the build's manifest, or null (for source links).</param>
    /// <param name="logger">Where warnings go.</param>
    IReadOnlyList<DiscoveredSuite> Read(string source, string? projectDirectory, IMessageLogger? logger);
}
