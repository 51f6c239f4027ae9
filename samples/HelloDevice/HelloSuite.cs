using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;

namespace HelloDevice;

/// <summary>A first C# suite: its tests run in order, on the device the run leased.</summary>
[DeviceSuite]
public sealed class HelloSuite(IDevice device)
{
    [DeviceTest(Timeout = "30s")]
    public async Task Shell_answers(CancellationToken ct)
    {
        var result = await device.RunAsync("echo hello", ct);
        if (result.ExitCode != 0 || result.Stdout.Trim() != "hello")
        {
            throw new InvalidOperationException($"expected 'hello', got exit code {result.ExitCode}: {result.Stdout}{result.Stderr}");
        }
    }

    [DeviceTest]
    public async Task Has_a_temporary_directory(CancellationToken ct)
    {
        var result = await device.RunAsync("test -d /tmp", ct);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("/tmp is missing on the device");
        }
    }
}
