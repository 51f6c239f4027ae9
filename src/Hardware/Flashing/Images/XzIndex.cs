using System.Globalization;

namespace DeviceTest.Hardware.Flashing.Images;

/// <summary>
/// An xz file's decompressed size, from its index (<c>xz --robot --list</c>: xz keeps the sizes at the end of the file,
/// so this reads a few KiB). A file whose index is damaged is refused before anything is written.
/// </summary>
internal static class XzIndex
{
    /// <summary>The size, or null when xz is not installed (the SharpCompress decoder is used then; the native devicetest refuses the image).</summary>
    /// <exception cref="FlashException">xz cannot read the file's index: it is not a whole xz file.</exception>
    public static async Task<long?> UncompressedSizeAsync(string path, CancellationToken cancellationToken)
    {
        if (ToolPath.Find("xz") is not { } xz)
        {
            return null;
        }

        var result = await ToolProcess.RunAsync(xz, ["--robot", "--list", "--", path], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new FlashException(FlashFailure.BadImage, FlashStage.Image,
                $"image {path} is not a whole xz file (xz --list: {result.Stderr.Trim()}); it is corrupt or was cut short");
        }

        foreach (var line in result.Stdout.Split('\n'))
        {
            var fields = line.Split('\t');
            if (fields.Length > 4 && fields[0] == "totals" && long.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return size;
            }
        }

        return null;
    }
}
