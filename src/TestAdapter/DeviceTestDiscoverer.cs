using System.ComponentModel;
using DeviceTest.TestAdapter.Discovery;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter;

/// <summary>
/// Discovers DeviceTest tests in a test dll: the YAML specs its project lists (<c>DeviceTestSpec</c> items, recorded
/// by the build in <c>&lt;TargetName&gt;.devicetest.json</c>) and its <c>[DeviceSuite]</c> classes.
/// </summary>
[FileExtension(".dll")]
[FileExtension(".exe")]
[Category("managed")]
[DefaultExecutorUri(AdapterConstants.ExecutorUriString)]
public sealed class DeviceTestDiscoverer : ITestDiscoverer
{
    public void DiscoverTests(
        IEnumerable<string> sources,
        IDiscoveryContext discoveryContext,
        IMessageLogger logger,
        ITestCaseDiscoverySink discoverySink)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(discoverySink);
        var discovery = SourceDiscovery.CreateDefault();
        foreach (var source in sources)
        {
            foreach (var testCase in discovery.Discover(source, logger).AllTestCases)
            {
                discoverySink.SendTestCase(testCase);
            }
        }
    }
}
