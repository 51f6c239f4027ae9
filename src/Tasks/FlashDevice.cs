using DeviceTest.Hardware;
using DeviceTest.Hardware.Flashing;
using Microsoft.Build.Framework;

namespace DeviceTest.Tasks;

/// <summary>
/// Writes the project's <c>DeviceImage</c> to the device (docs/flash.md): its <c>flash</c> section (disk and mux, or a
/// vendor command) or a QEMU board's <c>qemu.disk</c>, then waits for it to come up. Each step and the progress
/// (bytes, MiB/s, time left) go to the build log; a failure is a coded error naming the step and the image or device.
/// </summary>
public sealed class FlashDevice : DeviceTaskBase
{
    /// <summary>The image to write: one <c>DeviceImage</c> item.</summary>
    [Required]
    public ITaskItem[] Images { get; set; } = [];

    /// <summary>Read the medium back and compare (default true; <c>DeviceTestFlashVerify=false</c>).</summary>
    public bool Verify { get; set; } = true;

    /// <summary>How long flashing and booting may take (<c>DeviceTestFlashTimeout</c>, e.g. 30m); empty: 30 minutes.</summary>
    public string? Timeout { get; set; }

    internal override async Task<bool> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (Images.Length == 0)
        {
            Log.LogMessage(MessageImportance.Normal, "FlashDevice: no DeviceImage item; nothing to flash.");
            return true;
        }

        if (Images.Length > 1)
        {
            LogProjectError(ErrorCodes.BadParameter, $"FlashDevice: a device takes one image, and the project has {Images.Length} DeviceImage items ({string.Join(", ", Images.Select(i => i.ItemSpec))}); keep one.");
            return false;
        }

        if (!Durations.TryParse(Timeout, TimeSpan.FromMinutes(30), out var timeout))
        {
            LogProjectError(ErrorCodes.BadParameter, $"FlashDevice: DeviceTestFlashTimeout '{Timeout}' is not a duration (e.g. 30m).");
            return false;
        }

        var config = ResolveDeviceConfig();
        if (config is null)
        {
            return false;
        }

        var image = Images[0].GetMetadata("FullPath");
        await using var device = DeviceFactory.Create(config);
        if (device.Flash is not { } flash)
        {
            LogDeviceError(ErrorCodes.NotFlashable,
                $"FlashDevice: device '{config.Name}' cannot be flashed: give it a `flash` section (disk and mux, or a vendor command) or a `qemu.disk`, or build with -p:DeviceTestFlash=false.");
            return false;
        }

        Log.LogMessage(MessageImportance.High, $"FlashDevice: {Images[0].ItemSpec} to '{config.Name}' ({flash.Description})");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var outcome = await flash.FlashAsync(image, new FlashOptions { Verify = Verify }, new BuildLog(this), limit.Token);
            Log.LogMessage(MessageImportance.High, $"FlashDevice: '{config.Name}': {outcome.Summary}");
            return true;
        }
        catch (FlashException e)
        {
            var code = e.Failure switch
            {
                FlashFailure.BadImage => ErrorCodes.FlashImage,
                FlashFailure.Refused => ErrorCodes.FlashRefused,
                FlashFailure.Unreachable => ErrorCodes.FlashUnreachable,
                _ => ErrorCodes.FlashWriteFailed,
            };
            var message = $"FlashDevice: flash of '{config.Name}' failed at step '{FlashException.Describe(e.Stage)}': {e.Message}";
            if (e.Failure == FlashFailure.BadImage)
            {
                Log.LogError(null, code, null, image, 0, 0, 0, 0, message);
            }
            else
            {
                LogDeviceError(code, message);
            }

            return false;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogDeviceError(ErrorCodes.FlashWriteFailed, $"FlashDevice: flashing '{config.Name}' did not finish within {timeout}; the medium is incomplete.");
            return false;
        }
    }

    /// <summary>Steps at high importance; bytes every 10% (or at the end) at normal importance.</summary>
    private sealed class BuildLog(FlashDevice task) : IProgress<FlashProgress>
    {
        private int _tenth = -1;
        private FlashStage _stage = (FlashStage)(-1);

        public void Report(FlashProgress value)
        {
            if (value.Message is { } message)
            {
                task.Log.LogMessage(MessageImportance.High, $"  {message}");
                return;
            }

            if (value.Stage != _stage)
            {
                _stage = value.Stage;
                _tenth = -1;
            }

            var tenth = value.TotalBytes is > 0 and { } total ? (int)(value.Bytes * 10 / total) : -1;
            if (value.Done || tenth > _tenth)
            {
                _tenth = value.Done ? int.MaxValue : tenth;
                var left = value.TimeLeft is { } l ? $", {l.TotalSeconds:0} s left" : string.Empty;
                var of = value.TotalBytes is { } t ? " of " + ByteSize.Format(t) : string.Empty;
                task.Log.LogMessage(MessageImportance.Normal, $"  {FlashException.Describe(value.Stage)}: {ByteSize.Format(value.Bytes)}{of} at {ByteSize.Speed(value.BytesPerSecond)}{left}");
            }
        }
    }
}
