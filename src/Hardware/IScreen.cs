namespace DeviceTest.Hardware;

/// <summary>
/// What a device shows on its display (QEMU's screendump, a capture card, a KVM-over-IP snapshot). Match it against
/// a reference with <see cref="ScreenExtensions.WaitForAsync(IScreen, string, TimeSpan, double, Screens.ScreenMask?, CancellationToken)"/>.
/// </summary>
public interface IScreen
{
    /// <summary>A short description, e.g. "QEMU screendump" or "capture command on lab host labhost-1".</summary>
    string Description { get; }

    /// <summary>Captures one frame.</summary>
    /// <returns>The frame as PNG bytes.</returns>
    /// <exception cref="Screens.ScreenException">The frame could not be captured (the command failed or hung, QEMU refused).</exception>
    Task<byte[]> CaptureAsync(CancellationToken cancellationToken);
}
