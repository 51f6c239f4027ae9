using Microsoft.Testing.Platform.Builder;

namespace DeviceTest.TestAdapter.Platform;

/// <summary>
/// Called by the entry point that Microsoft.Testing.Platform's MSBuild integration generates for a project with
/// <c>EnableDeviceTestRunner=true</c> (the <c>TestingPlatformBuilderHook</c> item in DeviceTest.TestAdapter.targets).
/// </summary>
public static class TestingPlatformBuilderHook
{
#pragma warning disable IDE0060 // The generated code passes the arguments to every hook.
    public static void AddExtensions(ITestApplicationBuilder testApplicationBuilder, string[] arguments) =>
        testApplicationBuilder.AddDeviceTest();
#pragma warning restore IDE0060
}
