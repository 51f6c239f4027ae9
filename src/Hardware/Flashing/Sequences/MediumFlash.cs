using System.Diagnostics;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Flashing.Images;
using DeviceTest.Hardware.Flashing.Writers;

namespace DeviceTest.Hardware.Flashing.Sequences;

/// <summary>
/// <c>flash: { disk, mux }</c>: power off, mux to the host, wait for the medium (timeout, settle), refuse a medium in
/// use or too small, write, flush, verify, mux back to the device, power on and wait through the boot strategy. A
/// flashing station (no boot strategy) stops after the mux. Whatever fails after the mux went to the host, it goes
/// back to the device (also after Ctrl+C).
/// </summary>
internal sealed class MediumFlash(string deviceName, FlashConfig config, IBootStrategy? strategy, IMediumWriter writer, TimeProvider? time = null) : IDeviceFlash
{
    private static readonly TimeSpan MuxBackTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Description =>
        $"disk {config.Disk}{(config.Mux is null ? string.Empty : " via mux")}, written on {writer.Description}";

    public async Task<FlashOutcome> FlashAsync(string image, FlashOptions? options, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        options ??= new FlashOptions();
        var started = Stopwatch.StartNew();
        var flash = await FlashImage.OpenAsync(image, cancellationToken).ConfigureAwait(false);
        FlashSteps.Say(progress, FlashStage.Image, $"image {flash.Describe()}");
        writer.CheckDecoder(flash);
        var disk = config.Disk!;
        if (strategy is not null)
        {
            await FlashSteps.PowerOffAsync(strategy, deviceName, progress, cancellationToken).ConfigureAwait(false);
        }

        (long Written, bool Verified) written;
        var muxedToHost = false;
        try
        {
            if (config.Mux is { } mux)
            {
                FlashSteps.Say(progress, FlashStage.MuxToHost, $"switching the mux to the host: {mux.Host}");
                muxedToHost = true;
                await FlashSteps.RunCommandAsync(writer.Host, mux.Host, FlashStage.MuxToHost, config.Timeout, null, cancellationToken).ConfigureAwait(false);
            }

            var size = await WaitForMediumAsync(disk, progress, cancellationToken).ConfigureAwait(false);
            await CheckAsync(flash, disk, size, cancellationToken).ConfigureAwait(false);
            written = await writer.WriteAsync(flash, disk, options.Verify, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (muxedToHost)
        {
            await MuxBackAsync(progress, failing: true).ConfigureAwait(false);
            throw;
        }

        if (muxedToHost)
        {
            await MuxBackAsync(progress, failing: false).ConfigureAwait(false);
        }

        var booted = false;
        if (strategy is not null)
        {
            await Task.Delay(config.Settle, _time, cancellationToken).ConfigureAwait(false);
            await FlashSteps.BootAsync(strategy, deviceName, options.BootTimeout, progress, cancellationToken).ConfigureAwait(false);
            booted = true;
        }

        return FlashSummary.Build(flash, written.Written, written.Verified, booted, started.Elapsed, strategy is null ? StationEnd : null);
    }

    /// <summary>What a flashing station (no board to boot) did last.</summary>
    private string StationEnd => config.Mux is null ? "the flashing station stops after writing" : "the flashing station stops after the mux";

    /// <summary>Polls for the medium until <see cref="FlashConfig.Timeout"/>, then waits <see cref="FlashConfig.Settle"/>; returns its size.</summary>
    private async Task<long> WaitForMediumAsync(string disk, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        FlashSteps.Say(progress, FlashStage.WaitForMedium, $"waiting up to {config.Timeout.TotalSeconds:0} s for {disk} on {writer.Description}");
        var deadline = _time.GetTimestamp();
        while (true)
        {
            var reading = await MediumProbe.ReadAsync(writer.Host, disk, cancellationToken).ConfigureAwait(false);
            if (reading.Other is { } other)
            {
                throw new FlashException(FlashFailure.BadImage, FlashStage.WaitForMedium,
                    $"wait for the medium: {disk} is {other}, neither a block device nor a file; check `flash.disk` of '{deviceName}'");
            }

            if (reading.Size is not null)
            {
                break;
            }

            if (_time.GetElapsedTime(deadline) >= config.Timeout)
            {
                throw new FlashException(FlashFailure.Unreachable, FlashStage.WaitForMedium,
                    $"wait for the medium: {disk} did not appear on {writer.Description} within {config.Timeout.TotalSeconds:0} s{(config.Mux is null ? string.Empty : " after the mux switched to the host")}; check the mux, the card and `flash.disk` of '{deviceName}'");
            }

            await Task.Delay(Poll, _time, cancellationToken).ConfigureAwait(false);
        }

        await Task.Delay(config.Settle, _time, cancellationToken).ConfigureAwait(false);
        var settled = await MediumProbe.ReadAsync(writer.Host, disk, cancellationToken).ConfigureAwait(false);
        return settled.Size ?? throw new FlashException(FlashFailure.Unreachable, FlashStage.WaitForMedium,
            $"wait for the medium: {disk} appeared on {writer.Description} but went away again within the settle time ({config.Settle.TotalSeconds:0.#} s)");
    }

    /// <summary>Refuses, before a byte is written, a medium in use on the writing machine or too small for the image.</summary>
    private async Task CheckAsync(FlashImage image, string disk, long size, CancellationToken cancellationToken)
    {
        var reading = await MediumProbe.ReadAsync(writer.Host, disk, cancellationToken).ConfigureAwait(false);
        if (reading.Busy.Count > 0)
        {
            throw new FlashException(FlashFailure.Refused, FlashStage.WaitForMedium,
                $"refused before writing: {disk} is in use on {writer.Description}: {string.Join("; ", reading.Busy)}. Unmount it (and stop what holds it) first; DeviceTest never writes a medium in use");
        }

        if (image.Size is { } needed && needed > size)
        {
            var what = image.BlockMap is { } map ? $"its block map {map.Path} says the image is" : "the image is";
            throw new FlashException(FlashFailure.BadImage, FlashStage.WaitForMedium,
                $"refused before writing: {what} {needed} bytes ({ByteSize.Format(needed)}), larger than {disk} ({size} bytes, {ByteSize.Format(size)})");
        }
    }

    /// <summary>Switches the mux back to the device; after another failure the original error stays, this one is only said.</summary>
    /// <remarks>Not cancellable by the flash's token: after Ctrl+C the mux still goes back (bounded to a minute).</remarks>
    private async Task MuxBackAsync(IProgress<FlashProgress>? progress, bool failing)
    {
        var mux = config.Mux!;
        FlashSteps.Say(progress, FlashStage.MuxToDevice, $"switching the mux back to the device: {mux.Dut}");
        using var bound = new CancellationTokenSource(MuxBackTimeout, _time);
        try
        {
            await FlashSteps.RunCommandAsync(writer.Host, mux.Dut, FlashStage.MuxToDevice, MuxBackTimeout, null, bound.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (failing && e is FlashException or OperationCanceledException)
        {
            FlashSteps.Say(progress, FlashStage.MuxToDevice, $"switching the mux back to the device failed too: {e.Message}");
        }
    }
}
