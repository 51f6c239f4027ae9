using DeviceTest.Hardware;
using DeviceTest.Hardware.Screens;

namespace DeviceTest.Framework.Running;

/// <summary>
/// The screen of a device at the moment a test failed, attached to the result beside its console log. A device
/// without a screen gives none; a capture that fails or takes too long is a warning, never the test's failure.
/// </summary>
internal static class FailureScreenshot
{
    /// <summary>The file's name in the test's results folder.</summary>
    public const string FileName = "screen.png";

    /// <summary>How long the capture may take.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Captures <paramref name="device"/>'s screen into <paramref name="folder"/>.</summary>
    /// <returns>The file's path, or null when the device has no screen or the capture failed (<paramref name="warn"/> says why).</returns>
    public static async Task<string?> TryCaptureAsync(IDevice device, string folder, Action<string> warn, CancellationToken cancellationToken)
    {
        if (device.Screen is not { } screen)
        {
            return null;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        try
        {
            var frame = await screen.CaptureAsync(bounded.Token).ConfigureAwait(false);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, FileName);
            await File.WriteAllBytesAsync(path, frame, bounded.Token).ConfigureAwait(false);
            return path;
        }
        catch (Exception e) when (e is ScreenException or IOException or UnauthorizedAccessException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = e is OperationCanceledException ? $"it took longer than {Timeout.TotalSeconds:0} s" : e.Message;
            warn($"warning: no screenshot of device '{device.Name}' for the failed test: {why}");
            return null;
        }
    }
}
