namespace DeviceTest.Hardware.Flashing;

/// <summary>
/// Writes an OS image onto a device (docs/flash.md): through its medium and SD-mux (<c>flash: { disk, mux }</c>), its
/// vendor's tool (<c>flash: { command }</c>) or, on a QEMU board, its <c>qemu.disk</c>; then brings the device up on
/// the new image through its boot strategy (a flashing station stops after switching the mux back).
/// </summary>
public interface IDeviceFlash
{
    /// <summary>How this device is flashed, for display ("disk /dev/sdb via mux, on this machine").</summary>
    string Description { get; }

    /// <summary>Flashes <paramref name="image"/> (raw, .gz, .xz, .zst, .bz2; a bmaptool block map beside it is used).</summary>
    /// <param name="image">The image file.</param>
    /// <param name="options">Verification and timeouts; null: the defaults (verify on).</param>
    /// <param name="progress">Receives each step and, while writing, bytes, speed and time left; may be null.</param>
    /// <param name="cancellationToken">Stops within seconds; the medium is then incomplete and the mux goes back to the device.</param>
    /// <exception cref="FlashException">A step failed; <see cref="FlashException.Failure"/> says what kind, the message which step and file or device.</exception>
    Task<FlashOutcome> FlashAsync(string image, FlashOptions? options, IProgress<FlashProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Flashes <paramref name="image"/> with the default options (verification on).</summary>
    Task<FlashOutcome> FlashAsync(string image, IProgress<FlashProgress>? progress, CancellationToken cancellationToken) =>
        FlashAsync(image, null, progress, cancellationToken);
}
