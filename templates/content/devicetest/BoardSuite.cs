using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;

namespace DeviceTest.Project;

/// <summary>A C# suite: each [DeviceTest] method gets the device the run is on.</summary>
[DeviceSuite]
public sealed class BoardSuite(IDevice device)
{
    [DeviceTest(Timeout = "30s")]
    public async Task Shell_answers(CancellationToken cancellationToken)
    {
        var result = await device.RunAsync("echo hello", cancellationToken);
        if (result.ExitCode != 0 || result.Stdout.Trim() != "hello")
        {
            throw new InvalidOperationException($"echo said '{result.Stdout.Trim()}' (exit {result.ExitCode}): {result.Stderr}");
        }
    }

    [DeviceTest(Timeout = "30s")]
    public async Task Has_a_temporary_directory(CancellationToken cancellationToken)
    {
        var result = await device.RunAsync("test -d /tmp", cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("/tmp is missing on " + device.Name);
        }
    }
}
