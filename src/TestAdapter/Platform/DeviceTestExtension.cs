using Microsoft.Testing.Platform.Extensions;

namespace DeviceTest.TestAdapter.Platform;

/// <summary>DeviceTest as a Microsoft.Testing.Platform extension: the identity its services register under.</summary>
internal sealed class DeviceTestExtension : IExtension
{
    public string Uid => "DeviceTest";

    public string Version => typeof(DeviceTestExtension).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public string DisplayName => "DeviceTest";

    public string Description => "Runs DeviceTest YAML specs and C# device suites on devices.";

    public Task<bool> IsEnabledAsync() => Task.FromResult(true);
}
