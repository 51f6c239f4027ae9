using System.Reflection;
using Microsoft.Testing.Extensions.VSTestBridge.Helpers;
using Microsoft.Testing.Platform.Builder;
using Microsoft.Testing.Platform.Capabilities.TestFramework;

namespace DeviceTest.TestAdapter.Platform;

/// <summary>Registers DeviceTest in a Microsoft.Testing.Platform test app.</summary>
public static class DeviceTestApplicationBuilderExtensions
{
    /// <summary>
    /// Makes DeviceTest the app's test framework: the specs and suites of <paramref name="getTestAssemblies"/> (default:
    /// the entry assembly), with <c>--settings</c>, <c>--filter</c>, <c>--test-parameter</c> and the
    /// <c>--devicetest-*</c> options.
    /// </summary>
    public static void AddDeviceTest(this ITestApplicationBuilder builder, Func<IEnumerable<Assembly>>? getTestAssemblies = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var assemblies = getTestAssemblies ?? EntryAssembly;
        var extension = new DeviceTestExtension();
        builder.AddRunSettingsService(extension);
        builder.AddTestCaseFilterService(extension);
        builder.AddTestRunParametersService(extension);
        builder.AddRunSettingsEnvironmentVariableProvider(extension);
        builder.CommandLine.AddProvider(() => new DeviceTestPlatformOptions(extension));
        builder.RegisterTestFramework(
            _ => new TestFrameworkCapabilities(new DeviceTestCapabilities()),
            (capabilities, services) => new DeviceTestBridgedFramework(extension, assemblies, services, capabilities));
    }

    private static IEnumerable<Assembly> EntryAssembly() =>
        Assembly.GetEntryAssembly() is { } entry ? [entry] : [];
}
