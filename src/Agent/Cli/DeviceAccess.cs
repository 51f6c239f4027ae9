using DeviceTest.Hardware;
using DeviceTest.Hardware.Boards;

namespace DeviceTest.Agent.Cli;

/// <summary>
/// What <c>devicetest screenshot</c> and <c>devicetest keys</c> share: the device by name, a QEMU board booted to its
/// shell first (it starts with this command and would show only its firmware), a real board left as it is (its
/// screen and keyboard do not need its shell), and the exit codes of §7 for what goes wrong.
/// </summary>
internal static class DeviceAccess
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs <paramref name="action"/> on the device; returns its exit code, <see cref="ExitCodes.BadInput"/> for an
    /// unknown device or bad devices file, <see cref="ExitCodes.DeviceUnreachable"/> when the board did not come up.
    /// </summary>
    public static async Task<int> RunAsync(
        string? devicesFile, string? deviceName, TextWriter error, Func<IDevice, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        var config = await DeviceArgument.ResolveAsync(devicesFile, deviceName, error);
        if (config is null)
        {
            return ExitCodes.BadInput;
        }

        IDevice created;
        try
        {
            created = DeviceFactory.Create(config);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"devicetest: {e.Message}");
            return ExitCodes.BadInput;
        }

        await using var device = created;
        try
        {
            if (device is Board { Strategy.BoardPower: QemuStrategy })
            {
                await device.EnsureReadyAsync(ReadyTimeout, cancellationToken);
            }

            return await action(device, cancellationToken);
        }
        catch (DeviceUnreachableException e)
        {
            await error.WriteLineAsync($"devicetest: device '{device.Name}' could not be reached: {e.Message}");
            return ExitCodes.DeviceUnreachable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("devicetest: stopped.");
            return ExitCodes.TestsFailed;
        }
    }

    /// <summary>Says that the device lacks <paramref name="what"/> and how to give it one; returns <see cref="ExitCodes.BadInput"/>.</summary>
    public static async Task<int> MissingAsync(TextWriter error, IDevice device, string what, string section)
    {
        await error.WriteLineAsync(
            $"devicetest: device '{device.Name}' has no {what}: give it a `{section}:` section in devices.yml (QEMU boards have one of their own; docs/screen-keys-network.md)");
        return ExitCodes.BadInput;
    }
}
