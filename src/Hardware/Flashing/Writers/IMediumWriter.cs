using DeviceTest.Hardware.Flashing.Images;

namespace DeviceTest.Hardware.Flashing.Writers;

/// <summary>Where the medium is written: on this machine (<see cref="LocalMediumWriter"/>) or on the lab host over SSH (<see cref="LabMediumWriter"/>).</summary>
internal interface IMediumWriter
{
    /// <summary>The machine's commands (mux commands and the medium probe run there).</summary>
    IDevice Host { get; }

    /// <summary>"this machine", "lab host lab@labhost-1:22".</summary>
    string Description { get; }

    /// <summary>Refuses, before anything is done, an image this writer cannot decompress (its program missing).</summary>
    /// <exception cref="FlashException">With <see cref="FlashFailure.BadImage"/>.</exception>
    void CheckDecoder(FlashImage image);

    /// <summary>
    /// Writes <paramref name="image"/> to <paramref name="disk"/>, flushes, and with <paramref name="verify"/> reads it
    /// back; returns the bytes written and whether the read-back was compared (not when a block map has no checksums).
    /// </summary>
    Task<(long Written, bool Verified)> WriteAsync(FlashImage image, string disk, bool verify, IProgress<FlashProgress>? progress, CancellationToken cancellationToken);
}
