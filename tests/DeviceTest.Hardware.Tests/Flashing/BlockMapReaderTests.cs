using System.Security.Cryptography;
using System.Text;
using DeviceTest.Hardware.Flashing;
using DeviceTest.Hardware.Flashing.BlockMaps;
using DeviceTest.Lab.Flash;

namespace DeviceTest.Hardware.Tests.Flashing;

/// <summary>Block maps as bmaptool writes them (Debian's bmaptool is the reference), and every way one can be wrong.</summary>
[TestClass]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "bmap format 1.3 uses SHA-1; the tests write such maps.")]
public sealed class BlockMapReaderTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_map_made_by_bmaptool_is_read_with_its_ranges_and_sha256_checksums()
    {
        var folder = Directory.CreateTempSubdirectory("dt-bmap-").FullName;
        try
        {
            var image = FlashImages.MakeSparse(folder, "os.img", 8L << 20);
            await FlashImages.RunToolAsync("bmaptool", "-q", "create", "-o", image + ".bmap", image);

            var map = await BlockMapReader.ReadAsync(image + ".bmap", TestContext.CancellationToken);

            Assert.AreEqual("2.0", map.Version);
            Assert.AreEqual(8L << 20, map.ImageSize);
            Assert.AreEqual("sha256", map.ChecksumType);
            Assert.IsTrue(map.Ranges.Count >= 3, "three stretches of data");
            var bytes = await File.ReadAllBytesAsync(image, TestContext.CancellationToken);
            foreach (var range in map.Ranges)
            {
                var slice = bytes.AsSpan((int)map.ByteOffset(range), (int)map.ByteLength(range));
                Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(slice)), range.Checksum, $"range {range.First}-{range.Last}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void Format_1_3_uses_sha1_and_format_1_2_has_no_checksums()
    {
        var v13 = Parse(Map("1.3", checksumType: null, fileChecksumTag: "BmapFileSHA1", attribute: "sha1", hash: SHA1.HashData));
        Assert.AreEqual("sha1", v13.ChecksumType);
        Assert.AreEqual(Convert.ToHexStringLower(SHA1.HashData(new byte[4096])), v13.Ranges[0].Checksum);

        var v12 = Parse(Map("1.2", checksumType: null, fileChecksumTag: null, attribute: null, hash: null));
        Assert.IsNull(v12.ChecksumType);
        Assert.IsNull(v12.Ranges[0].Checksum);
    }

    [TestMethod]
    public void A_damaged_map_is_refused_naming_its_own_checksum()
    {
        var text = Map("2.0", "sha256", "BmapFileChecksum", "chksum", SHA256.HashData).Replace("<MappedBlocksCount> 2", "<MappedBlocksCount>  2", StringComparison.Ordinal);
        var e = Refused(text);
        StringAssert.Contains(e.Message, "is damaged: its own sha256 checksum");
    }

    [TestMethod]
    [DataRow("3.0", "3.0", "reads versions up to 2.x")]
    [DataRow("<ImageSize> 8192 </ImageSize>", "<ImageSize> 99999 </ImageSize>", "is inconsistent")]
    [DataRow("<Range chksum", "<Range chksum", "does not add up")]
    public void A_map_that_does_not_fit_its_format_is_refused(string find, string replace, string expected)
    {
        var text = Map(find == "3.0" ? "3.0" : "2.0", "sha256", "BmapFileChecksum", "chksum", SHA256.HashData, mapped: find == "<Range chksum" ? 3 : 2)
            .Replace(find, replace, StringComparison.Ordinal);
        var e = Refused(Rehash(text));
        StringAssert.Contains(e.Message, expected);
        Assert.AreEqual(FlashFailure.BadImage, e.Failure);
    }

    [TestMethod]
    public void Ranges_out_of_order_or_beyond_the_image_are_refused_with_their_line()
    {
        var text = Rehash(Map("2.0", "sha256", "BmapFileChecksum", "chksum", SHA256.HashData).Replace("> 0-0 <", "> 5-5 <", StringComparison.Ordinal));
        var e = Refused(text);
        StringAssert.Contains(e.Message, "beyond the image's 2 blocks");
        StringAssert.Matches(e.Message, new System.Text.RegularExpressions.Regex(@"os\.bmap:\d+ "));
    }

    [TestMethod]
    public void Text_that_is_not_xml_is_refused_with_its_line()
    {
        var e = Refused("<?xml version=\"1.0\"?>\n<bmap version=\"2.0\">\n<ImageSize>12</Image>\n");
        StringAssert.Contains(e.Message, "is not valid XML");
        StringAssert.Contains(e.Message, "os.bmap:3");
    }

    private static BlockMap Parse(string text) => BlockMapReader.Parse("os.bmap", Encoding.UTF8.GetBytes(text));

    private static FlashException Refused(string text) => Assert.ThrowsExactly<FlashException>(() => Parse(text));

    /// <summary>A two-block image of zeros, both blocks mapped as two ranges, in the given format version.</summary>
    private static string Map(string version, string? checksumType, string? fileChecksumTag, string? attribute, Func<byte[], byte[]>? hash, int mapped = 2)
    {
        var block = new byte[4096];
        var sum = hash is null ? null : Convert.ToHexStringLower(hash(block));
        var range = (string r) => attribute is null ? $"<Range> {r} </Range>" : $"<Range {attribute}=\"{sum}\"> {r} </Range>";
        var zeros = sum is null ? null : new string('0', sum.Length);
        var text = new StringBuilder()
            .AppendLine("<?xml version=\"1.0\" ?>")
            .AppendLine($"<bmap version=\"{version}\">")
            .AppendLine("    <ImageSize> 8192 </ImageSize>")
            .AppendLine("    <BlockSize> 4096 </BlockSize>")
            .AppendLine("    <BlocksCount> 2 </BlocksCount>")
            .AppendLine($"    <MappedBlocksCount> {mapped} </MappedBlocksCount>");
        if (checksumType is not null)
        {
            text.AppendLine($"    <ChecksumType> {checksumType} </ChecksumType>");
        }

        if (fileChecksumTag is not null)
        {
            text.AppendLine($"    <{fileChecksumTag}> {zeros} </{fileChecksumTag}>");
        }

        text.AppendLine("    <BlockMap>").AppendLine("        " + range("0-0")).AppendLine("        " + range("1")).AppendLine("    </BlockMap>").AppendLine("</bmap>");
        return fileChecksumTag is null ? text.ToString() : Rehash(text.ToString());
    }

    /// <summary>Sets the map's own checksum as bmaptool does (over the text with the checksum zeroed).</summary>
    private static string Rehash(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"<(BmapFileChecksum|BmapFileSHA1)> ([0-9a-f]+) <");
        if (!match.Success)
        {
            return text;
        }

        var old = match.Groups[2].Value;
        var zeroed = text.Replace(old, new string('0', old.Length), StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(zeroed);
        var sum = old.Length == 40 ? SHA1.HashData(bytes) : SHA256.HashData(bytes);
        return zeroed.Replace(">" + " " + new string('0', old.Length) + " <", "> " + Convert.ToHexStringLower(sum) + " <", StringComparison.Ordinal);
    }
}
