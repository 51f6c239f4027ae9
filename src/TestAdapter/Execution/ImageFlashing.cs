using DeviceTest.Hardware;
using DeviceTest.Hardware.Flashing;
using DeviceTest.Hardware.Yaml;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Writes the project's <c>DeviceImage</c> to a device before its first test (and before its DeviceArtifact items
/// are deployed), as the MSBuild target <c>FlashDevice</c> does: each step is a message in the test run's log.
/// </summary>
internal sealed class ImageFlashing(FlashList list, ResultRecorder recorder)
{
    /// <summary>Null when flashed, else why the device cannot be used (a message naming the step, the image, the device).</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public async Task<string?> FlashAsync(IDevice device, string deviceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Flash is not { } flash)
        {
            return $"cannot flash {list.Image} to device '{deviceName}': it has no `flash` section and no `qemu.disk` in devices.yml (or build with -p:DeviceTestFlash=false)";
        }

        var timeout = TimeSpan.FromMinutes(30);
        if (list.Timeout is { Length: > 0 } text && !(DurationText.TryParse(text, out timeout) && timeout > TimeSpan.Zero))
        {
            return $"{list.ListPath}: DeviceTestFlashTimeout '{text}' is not a duration (e.g. 30m)";
        }

        recorder.Message(TestMessageLevel.Informational, $"DeviceTest: flashing {list.Image} to '{deviceName}' ({flash.Description})");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var outcome = await flash.FlashAsync(list.Image, new FlashOptions { Verify = list.Verify }, new Log(recorder, deviceName), limit.Token).ConfigureAwait(false);
            recorder.Message(TestMessageLevel.Informational, $"DeviceTest: flashed '{deviceName}': {outcome.Summary}");
            return null;
        }
        catch (FlashException e)
        {
            return $"flash of {list.Image} to device '{deviceName}' failed at step '{FlashException.Describe(e.Stage)}': {e.Message}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"flash of {list.Image} to device '{deviceName}' did not finish within {timeout}; the medium is incomplete";
        }
    }

    private sealed class Log(ResultRecorder recorder, string deviceName) : IProgress<FlashProgress>
    {
        public void Report(FlashProgress value)
        {
            if (value.Message is { } message)
            {
                recorder.Message(TestMessageLevel.Informational, $"DeviceTest: {deviceName}: {message}");
            }
        }
    }
}
