using System.CommandLine;
using DeviceTest.Agent.Progress;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Flashing;

namespace DeviceTest.Agent.Cli;

/// <summary>
/// <c>devicetest flash IMAGE [--device D] [--devices F] [--no-verify]</c>: writes an OS image to the device
/// (docs/flash.md). Exit codes: 0 flashed (and verified), 1 writing or verification failed, 2 bad usage, config or
/// image, or refused; 3 the medium or the device never appeared, or the mux or vendor command failed.
/// </summary>
internal static class FlashCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var image = new Argument<string>("image") { Description = "The image: raw (.img, .wic, .sdcard), or .gz, .xz, .zst, .bz2; a .bmap beside it is used." };
        var device = new Option<string?>("--device", "-d") { Description = "The device to flash (its devices.yml entry has `flash`, or `qemu.disk`)." };
        var devices = new Option<string?>("--devices") { Description = "The devices file (default: $DEVICETEST_DEVICES, then ./devices.yml)." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Do not read the written data back to compare hashes." };
        var command = new Command("flash", "Write an OS image to a device's medium, then boot it.") { image, device, devices, noVerify };
        command.SetAction(async (parse, _) =>
        {
            using var cancellation = new CancellationScope(error, "stopping the flash");
            return await RunAsync(parse.GetValue(image)!, parse.GetValue(device), parse.GetValue(devices), !parse.GetValue(noVerify), output, error, cancellation.Token);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        string image, string? deviceName, string? devicesFile, bool verify, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var config = await DeviceArgument.ResolveAsync(devicesFile, deviceName, error);
        if (config is null)
        {
            return ExitCodes.BadInput;
        }

        await using var device = DeviceFactory.Create(config);
        if (device.Flash is not { } flash)
        {
            await error.WriteLineAsync(
                $"devicetest: device '{config.Name}' cannot be flashed: give it a `flash` section (disk and mux, or a vendor command) or a `qemu.disk` in the devices file (docs/flash.md)");
            return ExitCodes.BadInput;
        }

        await output.WriteLineAsync($"devicetest: flashing '{config.Name}' ({flash.Description})");
        var progress = new FlashProgressLine(output, !Console.IsOutputRedirected);
        try
        {
            var outcome = await flash.FlashAsync(image, new FlashOptions { Verify = verify }, progress, cancellationToken);
            progress.Finish();
            await output.WriteLineAsync($"devicetest: flashed '{config.Name}': {outcome.Summary}");
            return ExitCodes.Success;
        }
        catch (FlashException e)
        {
            progress.Finish();
            await error.WriteLineAsync($"devicetest: flash of '{config.Name}' failed at step '{FlashException.Describe(e.Stage)}': {e.Message}");
            return e.Failure switch
            {
                FlashFailure.BadImage or FlashFailure.Refused => ExitCodes.BadInput,
                FlashFailure.Unreachable => ExitCodes.DeviceUnreachable,
                _ => ExitCodes.TestsFailed,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress.Finish();
            await error.WriteLineAsync($"devicetest: flash of '{config.Name}' stopped at step '{FlashException.Describe(progress.Stage)}'; the medium is incomplete: flash it again before using the device");
            return ExitCodes.TestsFailed;
        }
        catch (DeviceUnreachableException e)
        {
            progress.Finish();
            await error.WriteLineAsync($"devicetest: device '{config.Name}' could not be reached: {e.Message}");
            return ExitCodes.DeviceUnreachable;
        }
    }
}
