using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;

namespace QemuBoard;

/// <summary>C# tests on the QEMU board: run in declaration order, on the device the run leased.</summary>
[DeviceSuite]
[RequiresTags("qemu")]
public sealed class BoardSuite(IDevice device)
{
    [DeviceTest(Timeout = "30s")]
    public async Task Runs_busybox(CancellationToken ct)
    {
        var result = await device.RunAsync("busybox | head -n 1", ct);
        if (!result.Succeeded || !result.Stdout.Contains("BusyBox", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"busybox did not answer (exit code {result.ExitCode}): {result.Stdout}{result.Stderr}");
        }
    }

    [DeviceTest(Timeout = "30s")]
    public async Task Has_the_lab_address(CancellationToken ct)
    {
        var result = await device.RunAsync("ip -4 addr show eth0", ct);
        if (!result.Stdout.Contains("inet 10.0.2.15/24", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"eth0 has no 10.0.2.15/24:\n{result.Stdout}{result.Stderr}");
        }
    }

    [DeviceTest]
    public Task Console_saw_the_boot(CancellationToken ct)
    {
        // The console (QEMU's serial port) is read from power-on; the board prints this once dropbear runs.
        var log = device.Console?.Log.Lines ?? throw new InvalidOperationException("the board has no console");
        if (!log.Any(line => line.Text.Contains("DeviceTest QEMU board ready", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"the console log ({log.Count} lines) has no 'DeviceTest QEMU board ready'");
        }

        return Task.CompletedTask;
    }
}
