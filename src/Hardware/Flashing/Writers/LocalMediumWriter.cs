using DeviceTest.Hardware.Flashing.Images;
using DeviceTest.Hardware.Local;

namespace DeviceTest.Hardware.Flashing.Writers;

/// <summary>Writes the medium on this machine, in process (<see cref="ImageCopy"/>).</summary>
internal sealed class LocalMediumWriter(TimeProvider? time = null) : IMediumWriter
{
    public IDevice Host { get; } = new LocalDevice();

    public string Description => "this machine";

    public void CheckDecoder(FlashImage image) => DecodedImageStream.RequireDecoder(image);

    public async Task<(long Written, bool Verified)> WriteAsync(FlashImage image, string disk, bool verify, IProgress<FlashProgress>? progress, CancellationToken cancellationToken)
    {
        CheckDecoder(image);
        using var target = MediumFile.BlockDeviceName(disk) is null ? MediumFile.OpenFile(disk, image.Size) : MediumFile.OpenDevice(disk);
        return (await CopyAsync(image, target, verify, progress, time ?? TimeProvider.System, cancellationToken).ConfigureAwait(false), verify);
    }

    /// <summary>Writes, flushes and verifies <paramref name="image"/> to an open <paramref name="target"/>; returns the bytes written.</summary>
    public static async Task<long> CopyAsync(FlashImage image, MediumFile target, bool verify, IProgress<FlashProgress>? progress, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(target);
        var copy = new ImageCopy(image, time);
        await using (var source = DecodedImageStream.Open(image))
        {
            progress?.Report(new FlashProgress { Stage = FlashStage.Write, Message = $"writing {image.Describe()} to {target.Path} ({source.Decoder}{(target.Direct ? ", O_DIRECT" : string.Empty)})" });
            await copy.WriteAsync(source, target, progress, cancellationToken).ConfigureAwait(false);
        }

        if (verify)
        {
            progress?.Report(new FlashProgress { Stage = FlashStage.Verify, Message = $"reading {ByteSize.Format(copy.Written)} back from {target.Path}" });
            await copy.VerifyAsync(target, progress, cancellationToken).ConfigureAwait(false);
        }

        return copy.Written;
    }
}
