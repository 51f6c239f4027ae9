using DeviceTest.Hardware.Flashing.Images;

namespace DeviceTest.Hardware.Flashing.Sequences;

/// <summary>Builds the <see cref="FlashOutcome"/> of a flash that wrote an image.</summary>
internal static class FlashSummary
{
    public static FlashOutcome Build(FlashImage image, long written, bool verified, bool booted, TimeSpan duration, string? note)
    {
        var size = image.Size ?? written;
        var parts = new List<string>
        {
            $"{ByteSize.Format(size)} image, {ByteSize.Format(written)} written{(image.BlockMap is null ? string.Empty : " (block map)")} in {duration.TotalSeconds:0.0} s",
            verified ? "verified" : "not verified",
        };
        if (booted)
        {
            parts.Add("booted");
        }

        if (note is not null)
        {
            parts.Add(note);
        }

        return new FlashOutcome
        {
            BytesWritten = written,
            ImageSize = size,
            Verified = verified,
            Booted = booted,
            Duration = duration,
            Summary = string.Join(", ", parts),
        };
    }
}
