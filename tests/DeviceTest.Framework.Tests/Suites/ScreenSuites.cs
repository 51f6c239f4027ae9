#pragma warning disable CA1812 // instantiated by the suite runner through reflection
using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Suites.Samples;

/// <summary>Where <see cref="ScreenSuite"/> finds its reference, given through SuiteRunOptions.Services.</summary>
public sealed class ScreenReferencePath(string path) : IServiceProvider
{
    public string Path => path;

    public object? GetService(Type serviceType) => serviceType == typeof(ScreenReferencePath) ? this : null;
}

/// <summary>A suite that leaves the cable unplugged, then fails on a picture that is not on the screen.</summary>
[DeviceSuite(Name = "screens")]
internal sealed class ScreenSuite(IDevice device, ScreenReferencePath reference)
{
    [DeviceTest]
    public Task Leaves_the_cable_unplugged(CancellationToken ct) => device.Network!.SetLinkAsync(false, ct);

    [DeviceTest]
    public Task Sees_another_picture(CancellationToken ct) =>
        device.Screen!.WaitForAsync(reference.Path, TimeSpan.FromSeconds(1), cancellationToken: ct);
}
