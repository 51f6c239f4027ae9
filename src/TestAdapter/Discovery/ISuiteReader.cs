using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>Finds the <c>[DeviceSuite]</c> classes of a test dll.</summary>
internal interface ISuiteReader
{
    IReadOnlyList<DiscoveredSuite> Read(string source, IMessageLogger? logger);
}
