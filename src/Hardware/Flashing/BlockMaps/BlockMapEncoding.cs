using System.Text;

namespace DeviceTest.Hardware.Flashing.BlockMaps;

/// <summary>
/// The text of a block map file for <see cref="BlockMapXml"/>: UTF-8, or UTF-16 with a byte order mark, and which
/// encodings an XML declaration may name for such a file.
/// </summary>
internal static class BlockMapEncoding
{
    /// <summary>The file's bytes as text; <paramref name="path"/> names the file in messages.</summary>
    /// <exception cref="FlashException">The bytes are not valid UTF-8 (or UTF-16 after its byte order mark).</exception>
    public static string Decode(string path, byte[] bytes)
    {
        var (encoding, skip) = bytes switch
        {
            [0xEF, 0xBB, 0xBF, ..] => ((Encoding)new UTF8Encoding(false, true), 3),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(false, false, true), 2),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(true, false, true), 2),
            _ => (new UTF8Encoding(false, true), 0),
        };
        try
        {
            return encoding.GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes.AsSpan(0, Math.Clamp(e.Index + skip, 0, bytes.Length)).Count((byte)'\n');
            throw new FlashException(FlashFailure.BadImage, FlashStage.Image,
                $"block map {path}:{line} is not valid XML: it is not {(skip == 2 ? "UTF-16" : "UTF-8")} text (bmaptool writes UTF-8)", e);
        }
    }

    /// <summary>Whether an XML declaration's <c>encoding</c> agrees with text read as Unicode.</summary>
    public static bool IsUnicode(string encoding) =>
        encoding.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) || encoding.Equals("UTF8", StringComparison.OrdinalIgnoreCase)
        || encoding.Equals("US-ASCII", StringComparison.OrdinalIgnoreCase) || encoding.Equals("UTF-16", StringComparison.OrdinalIgnoreCase);
}
