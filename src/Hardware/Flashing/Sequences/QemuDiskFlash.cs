using System.Diagnostics;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Flashing.Images;
using DeviceTest.Hardware.Flashing.Writers;

namespace DeviceTest.Hardware.Flashing.Sequences;

/// <summary>
/// A QEMU board's flash: QEMU is stopped (its copy-on-write overlay goes with it), the image is written into
/// <c>qemu.disk</c> itself (emptied first, sparse, only mapped ranges with a block map), then the board is started
/// and awaited: its next start makes a fresh overlay over the newly written disk.
/// </summary>
internal sealed class QemuDiskFlash(string deviceName, string disk, IBootStrategy strategy, TimeProvider? time = null) : IDeviceFlash
{
    public string Description => $"qemu.disk {disk}";

    public async Task<FlashOutcome> FlashAsync(string image, FlashOptions? options, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        options ??= new FlashOptions();
        var started = Stopwatch.StartNew();
        var flash = await FlashImage.OpenAsync(image, cancellationToken).ConfigureAwait(false);
        FlashSteps.Say(progress, FlashStage.Image, $"image {flash.Describe()}");
        DecodedImageStream.RequireDecoder(flash);
        await FlashSteps.PowerOffAsync(strategy, deviceName, progress, cancellationToken).ConfigureAwait(false);
        long written;
        using (var target = MediumFile.OpenFile(disk, flash.Size))
        {
            written = await LocalMediumWriter.CopyAsync(flash, target, options.Verify, progress, time ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }

        await FlashSteps.BootAsync(strategy, deviceName, options.BootTimeout, progress, cancellationToken).ConfigureAwait(false);
        return FlashSummary.Build(flash, written, options.Verify, booted: true, started.Elapsed, null);
    }
}
