using System.Security.Cryptography;
using System.Text;
using DeviceTest.Hardware.Flashing.BlockMaps;
using DeviceTest.Lab;

namespace DeviceTest.Hardware.Tests.Flashing;

/// <summary>
/// The block maps in tests/data/bmap: one image's map in each format version bmaptool reads (2.0 as bmaptool 3.6 wrote
/// it; 1.4, 1.3 and 1.2 accepted by its `copy`), read as bmaptool reads them.
/// </summary>
[TestClass]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "bmap format 1.3 uses SHA-1.")]
public sealed class BlockMapFileTests
{
    public TestContext TestContext { get; set; } = null!;

    public static string DataFile(string name) => RepositoryRoot.Combine("tests", "data", "bmap", name);

    [TestMethod]
    [DataRow("os-2.0.bmap", "2.0", "sha256", 48)]
    [DataRow("os-1.4.bmap", "1.4", "sha256", 48)]
    [DataRow("os-1.3.bmap", "1.3", "sha1", 46)]
    [DataRow("os-1.2.bmap", "1.2", null, 42)]
    public async Task Each_format_version_is_read_with_its_ranges_checksums_and_lines(string file, string version, string? checksumType, int firstRangeLine)
    {
        var map = await BlockMapReader.ReadAsync(DataFile(file), TestContext.CancellationToken);

        Assert.AreEqual(version, map.Version);
        Assert.AreEqual(1_048_576, map.ImageSize);
        Assert.AreEqual(4096, map.BlockSize);
        Assert.AreEqual(256, map.BlocksCount);
        Assert.AreEqual(5, map.MappedBlocksCount);
        Assert.AreEqual(checksumType, map.ChecksumType);
        CollectionAssert.AreEqual(
            new[] { (2L, 2L, firstRangeLine), (100L, 102L, firstRangeLine + 1), (170L, 170L, firstRangeLine + 2) },
            map.Ranges.Select(r => (r.First, r.Last, r.Line)).ToArray());
        var image = Image();
        foreach (var range in map.Ranges)
        {
            var data = image.AsSpan((int)map.ByteOffset(range), (int)map.ByteLength(range));
            var expected = checksumType switch
            {
                "sha256" => Convert.ToHexStringLower(SHA256.HashData(data)),
                "sha1" => Convert.ToHexStringLower(SHA1.HashData(data)),
                _ => null,
            };
            Assert.AreEqual(expected, range.Checksum, $"range {range.First}-{range.Last}");
        }
    }

    [TestMethod]
    public void Windows_line_ends_a_byte_order_mark_and_UTF_16_read_the_same()
    {
        var bytes = File.ReadAllBytes(DataFile("os-1.2.bmap"));
        var text = Encoding.UTF8.GetString(bytes);
        var crlf = Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));
        var variants = new[]
        {
            crlf,
            [.. Encoding.UTF8.GetPreamble(), .. bytes],
            [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
        };
        var plain = BlockMapReader.Parse("os.bmap", bytes);
        foreach (var variant in variants)
        {
            var map = BlockMapReader.Parse("os.bmap", variant);
            Assert.AreEqual(plain.ImageSize, map.ImageSize);
            CollectionAssert.AreEqual(plain.Ranges.ToArray(), map.Ranges.ToArray());
        }
    }

    /// <summary>The image the maps describe (tests/data/bmap/README.md).</summary>
    private static byte[] Image()
    {
        var image = new byte[1_048_576];
        "hello"u8.CopyTo(image.AsSpan(8192));
        image.AsSpan(409_600, 12_288).Fill(0xAB);
        "x&y"u8.CopyTo(image.AsSpan(700_000));
        return image;
    }
}
