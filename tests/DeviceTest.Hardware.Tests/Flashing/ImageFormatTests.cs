using DeviceTest.Hardware.Flashing;
using DeviceTest.Hardware.Flashing.Images;
using DeviceTest.Hardware.Flashing.Writers;
using DeviceTest.Lab.Flash;

namespace DeviceTest.Hardware.Tests.Flashing;

/// <summary>
/// Images as users have them, written to a disk file with the decoder DeviceTest picks and with the managed fallback:
/// raw, gz, xz, zst, bz2, with and without a bmaptool block map; corrupt and cut-short streams; files that are not
/// images. The compressed files are made by the system's own tools.
/// </summary>
[TestClass]
public sealed class ImageFormatTests
{
    private const long ImageSize = (6L << 20) + 1234; // not a whole number of blocks: the last range ends mid-block

    private string _folder = null!;
    private string _raw = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void MakeImage()
    {
        _folder = Directory.CreateTempSubdirectory("dt-images-").FullName;
        _raw = FlashImages.MakeSparse(_folder, "os.wic", ImageSize);
    }

    [TestCleanup]
    public void RemoveImage() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    [DataRow("none", false, false)]
    [DataRow("gz", false, true)]
    [DataRow("xz", false, true)]
    [DataRow("xz", true, true)]
    [DataRow("zst", false, true)]
    [DataRow("bz2", false, false)]
    [DataRow("bz2", true, true)]
    public async Task Every_format_is_written_byte_for_byte_and_verified(string format, bool managed, bool withMap)
    {
        var image = await CompressAsync(format);
        if (withMap)
        {
            await FlashImages.RunToolAsync("bmaptool", "-q", "create", "-o", Path.Combine(_folder, "os.wic.bmap"), _raw);
        }

        var (written, disk) = await WriteAsync(image, managed);

        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_raw, TestContext.CancellationToken), disk, $"{format} ({(managed ? "managed decoder" : "picked decoder")})");
        Assert.IsTrue(withMap ? written < ImageSize / 2 : written == ImageSize, $"{written} bytes written; with a map only the mapped ranges");
    }

    [TestMethod]
    [DataRow("gz", false)]
    [DataRow("zst", false)]
    [DataRow("xz", false)]
    [DataRow("xz", true)]
    [DataRow("bz2", false)]
    public async Task A_corrupt_stream_fails_the_write_saying_where_it_broke(string format, bool managed)
    {
        var image = await CompressAsync(format);
        var bytes = await File.ReadAllBytesAsync(image, TestContext.CancellationToken);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++)
        {
            bytes[i] ^= 0x5A;
        }

        await File.WriteAllBytesAsync(image, bytes, TestContext.CancellationToken);

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => WriteAsync(image, managed));

        Assert.AreEqual(FlashFailure.WriteFailed, e.Failure, e.Message);
        StringAssert.Matches(e.Message, new System.Text.RegularExpressions.Regex(@"(corrupt at or before compressed byte \d+|ended after \d+ decompressed bytes)"), e.Message);
        StringAssert.Contains(e.Message, "the medium is incomplete");
    }

    [TestMethod]
    public async Task A_cut_short_gzip_image_fails_instead_of_writing_part_of_it()
    {
        var image = await CompressAsync("gz");
        var bytes = await File.ReadAllBytesAsync(image, TestContext.CancellationToken);
        await File.WriteAllBytesAsync(image, bytes[..(bytes.Length / 2)], TestContext.CancellationToken);
        await FlashImages.RunToolAsync("bmaptool", "-q", "create", "-o", Path.Combine(_folder, "os.wic.bmap"), _raw);

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => WriteAsync(image, managed: false));

        StringAssert.Matches(e.Message, new System.Text.RegularExpressions.Regex("(cut short|corrupt)"), e.Message);
    }

    [TestMethod]
    public async Task A_block_map_of_another_image_is_found_out_while_writing()
    {
        await FlashImages.RunToolAsync("bmaptool", "-q", "create", "-o", Path.Combine(_folder, "os.wic.bmap"), _raw);
        FlashImages.MakeSparse(_folder, "os.wic", ImageSize, seed: 2); // same layout, other data

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => WriteAsync(_raw, managed: false));

        StringAssert.Contains(e.Message, "does not match image");
        StringAssert.Contains(e.Message, "os.wic.bmap line");
    }

    [TestMethod]
    public async Task A_block_map_for_an_image_of_another_size_is_refused_before_writing()
    {
        await FlashImages.RunToolAsync("bmaptool", "-q", "create", "-o", Path.Combine(_folder, "os.wic.bmap"), _raw);
        using (var file = new FileStream(_raw, FileMode.Open))
        {
            file.SetLength(ImageSize + 4096);
        }

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => FlashImage.OpenAsync(_raw, TestContext.CancellationToken));

        Assert.AreEqual(FlashFailure.BadImage, e.Failure);
        StringAssert.Contains(e.Message, "does not match image");
    }

    [TestMethod]
    [DataRow(new byte[] { 0x51, 0x46, 0x49, 0xFB, 0, 0, 0, 3 }, "disk.img", "qcow2")]
    [DataRow(new byte[] { 0x50, 0x4B, 0x03, 0x04, 1, 2 }, "os.img", "zip archive")]
    [DataRow(new byte[] { 1, 2, 3, 4, 5, 6 }, "os.img.xz", "is named .xz but")]
    [DataRow(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0, 0 }, "os.img.xz", "is not a whole xz file")]
    public async Task Files_that_are_not_images_DeviceTest_writes_are_refused(byte[] head, string name, string expected)
    {
        var path = Path.Combine(_folder, name);
        await File.WriteAllBytesAsync(path, head, TestContext.CancellationToken);

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => FlashImage.OpenAsync(path, TestContext.CancellationToken));

        Assert.AreEqual(FlashFailure.BadImage, e.Failure);
        StringAssert.Contains(e.Message, expected);
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public async Task A_missing_image_is_named()
    {
        var path = Path.Combine(_folder, "nothing.wic.xz");
        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => FlashImage.OpenAsync(path, TestContext.CancellationToken));
        Assert.AreEqual($"image {path} does not exist", e.Message);
    }

    [TestMethod]
    public async Task A_folder_or_an_empty_file_is_not_an_image()
    {
        var empty = Path.Combine(_folder, "empty.wic");
        await File.WriteAllBytesAsync(empty, [], TestContext.CancellationToken);

        var folder = await Assert.ThrowsExactlyAsync<FlashException>(() => FlashImage.OpenAsync(_folder, TestContext.CancellationToken));
        var nothing = await Assert.ThrowsExactlyAsync<FlashException>(() => FlashImage.OpenAsync(empty, TestContext.CancellationToken));

        Assert.AreEqual($"image {_folder} is a directory; give the image file", folder.Message);
        Assert.AreEqual($"image {empty} is empty", nothing.Message);
        Assert.AreEqual(FlashStage.Image, nothing.Stage);
    }

    [TestMethod]
    public async Task An_image_that_cannot_be_read_is_named_with_the_reason()
    {
        // Root reads every file whatever its mode; the start of a process's memory cannot be read by anyone (EIO).
        const string path = "/proc/self/mem";

        var e = await Assert.ThrowsExactlyAsync<FlashException>(() => FlashImage.OpenAsync(path, TestContext.CancellationToken));

        Assert.AreEqual(FlashFailure.BadImage, e.Failure);
        StringAssert.StartsWith(e.Message, $"image {path} cannot be read: ");
    }

    private async Task<string> CompressAsync(string format)
    {
        switch (format)
        {
            case "none":
                return _raw;
            case "gz":
                await FlashImages.RunToolAsync("gzip", "-k", "-f", _raw);
                return _raw + ".gz";
            case "xz":
                await FlashImages.RunToolAsync("xz", "-k", "-f", "-T2", "--block-size=1MiB", _raw);
                return _raw + ".xz";
            case "zst":
                await FlashImages.RunToolAsync("zstd", "-q", "-k", "-f", _raw);
                return _raw + ".zst";
            default:
                await FlashImages.RunToolAsync("bzip2", "-k", "-f", _raw);
                return _raw + ".bz2";
        }
    }

    private async Task<(long Written, byte[] Disk)> WriteAsync(string imagePath, bool managed)
    {
        var image = await FlashImage.OpenAsync(imagePath, TestContext.CancellationToken);
        var disk = Path.Combine(_folder, "disk.img");
        var copy = new ImageCopy(image, TimeProvider.System);
        using (var target = MediumFile.OpenFile(disk, image.Size))
        {
            await using var source = DecodedImageStream.Open(image, preferLibrary: managed);
            await copy.WriteAsync(source, target, null, TestContext.CancellationToken);
            await copy.VerifyAsync(target, null, TestContext.CancellationToken);
        }

        var bytes = await File.ReadAllBytesAsync(disk, TestContext.CancellationToken);
        return (copy.Written, bytes);
    }
}
