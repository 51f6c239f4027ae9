using System.Reflection;
using Microsoft.Testing.Extensions.VSTestBridge;
using Microsoft.Testing.Extensions.VSTestBridge.Requests;
using Microsoft.Testing.Platform.Capabilities.TestFramework;
using Microsoft.Testing.Platform.Messages;
using Microsoft.Testing.Platform.Services;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;

namespace DeviceTest.TestAdapter.Platform;

/// <summary>
/// DeviceTest under Microsoft.Testing.Platform: the VSTest bridge hands discovery and runs to the same
/// <see cref="DeviceTestDiscoverer"/> and <see cref="DeviceTestExecutor"/> that VSTest uses, inside the test app.
/// </summary>
internal sealed class DeviceTestBridgedFramework : SynchronizedSingleSessionVSTestBridgedTestFramework
{
    private readonly IServiceProvider _services;

    public DeviceTestBridgedFramework(
        DeviceTestExtension extension,
        Func<IEnumerable<Assembly>> getTestAssemblies,
        IServiceProvider serviceProvider,
        ITestFrameworkCapabilities capabilities)
        : base(extension, getTestAssemblies, serviceProvider, capabilities)
    {
        _services = serviceProvider;
    }

    protected override Task SynchronizedDiscoverTestsAsync(
        VSTestDiscoverTestExecutionRequest request,
        IMessageBus messageBus,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.Run(
            () => new DeviceTestDiscoverer().DiscoverTests(request.AssemblyPaths, request.DiscoveryContext, request.MessageLogger, request.DiscoverySink),
            cancellationToken);
    }

    protected override async Task SynchronizedRunTestsAsync(
        VSTestRunTestExecutionRequest request,
        IMessageBus messageBus,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var executor = new DeviceTestExecutor();
        var runContext = WithCommandLineSettings(request.RunContext);

        // Ctrl+C or the platform's timeout: stop what runs on the device (Cancel never throws).
        await using var registration = cancellationToken.Register(executor.Cancel);
        await Task.Run(() => executor.RunTests(request.AssemblyPaths, runContext, new RunFailureHandle(request.FrameworkHandle)), CancellationToken.None).ConfigureAwait(false);
    }

    private IRunContext WithCommandLineSettings(IRunContext runContext)
    {
        var values = DeviceTestPlatformOptions.Read(_services.GetCommandLineOptions());
        if (values.Count == 0)
        {
            return runContext;
        }

        var xml = RunSettingsOverlay.Apply(runContext.RunSettings?.SettingsXml, values);
        return new OverlaidRunContext(runContext, new OverlaidRunSettings(runContext.RunSettings, xml));
    }
}
