using DeviceTest.Hardware.Boards;

namespace DeviceTest.Hardware.Flashing.Sequences;

/// <summary>The steps the flash sequences share: saying what happens, running a mux or vendor command, power off, boot.</summary>
internal static class FlashSteps
{
    public static void Say(IProgress<FlashProgress>? progress, FlashStage stage, string message) =>
        progress?.Report(new FlashProgress { Stage = stage, Message = message });

    /// <summary>Runs a mux or vendor command on <paramref name="host"/>; a failure is <see cref="FlashFailure.Unreachable"/> with its stderr.</summary>
    public static async Task RunCommandAsync(
        IDevice host, string command, FlashStage stage, TimeSpan timeout, IOutputObserver? output, CancellationToken cancellationToken)
    {
        var request = new CommandRequest(CommandLine.FromShell(command)) { Timeout = timeout, Output = output };
        CommandResult result;
        try
        {
            result = await host.RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException)
        {
            throw new FlashException(FlashFailure.Unreachable, stage, $"{FlashException.Describe(stage)}: `{command}` could not run on {host.Name}: {e.Message}", e);
        }

        if (!result.Succeeded)
        {
            var why = result.TimedOut ? $"did not finish within {timeout}" : $"failed with exit code {result.ExitCode}";
            var stderr = result.Stderr.Trim();
            throw new FlashException(FlashFailure.Unreachable, stage,
                $"{FlashException.Describe(stage)}: `{command}` {why}{(stderr.Length > 0 ? ": " + stderr : string.Empty)}");
        }
    }

    /// <summary>Switches the board off; a board without power control stays as it is (said in the progress).</summary>
    public static async Task PowerOffAsync(IBootStrategy strategy, string deviceName, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        if (strategy.BoardPower is null)
        {
            Say(progress, FlashStage.PowerOff, $"'{deviceName}' has no power control: it is not switched off while its medium is written");
            return;
        }

        Say(progress, FlashStage.PowerOff, $"switching '{deviceName}' off ({strategy.BoardPower.Power.Description})");
        try
        {
            await strategy.TransitionAsync(BoardState.Off, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeviceUnreachableException or Power.PowerException or InvalidOperationException)
        {
            throw new FlashException(FlashFailure.Unreachable, FlashStage.PowerOff, $"power off: '{deviceName}' could not be switched off: {e.Message}", e);
        }
    }

    /// <summary>Brings the board up on the new image through its boot strategy.</summary>
    public static async Task BootAsync(IBootStrategy strategy, string deviceName, TimeSpan? timeout, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        Say(progress, FlashStage.Boot, $"booting '{deviceName}' on the new image");
        try
        {
            if (timeout is { } limit)
            {
                await strategy.TransitionAsync(BoardState.Shell, limit, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await strategy.TransitionAsync(BoardState.Shell, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or Power.PowerException)
        {
            throw new FlashException(FlashFailure.Unreachable, FlashStage.Boot,
                $"boot: '{deviceName}' was flashed but did not come up on the new image: {e.Message}", e);
        }
    }
}
