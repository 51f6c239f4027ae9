using DeviceTest.Hardware.Flashing;
using DeviceTest.Hardware.Flashing.Images;
using DeviceTest.Hardware.Flashing.Writers;
using DeviceTest.Lab.Flash;

namespace DeviceTest.Hardware.Tests.Flashing;

/// <summary>
/// Images as the native devicetest decompresses them: its project turns the managed xz, zstd and bzip2 decoders off
/// (the DeviceTest.Flashing.ManagedDecoders switch), here set the same way for the test's duration. It runs xz, zstd,
/// bzip2 and pigz or gzip, and refuses such an image before writing when the program is missing (PATH emptied).
/// Not run in parallel with other tests: the switch and PATH belong to the whole process.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class NativeDecoderTests
{
    private const long ImageSize = (2L << 20) + 77;

    private string _folder = null!;
    private string _raw = null!;
    private string? _path;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void TurnManagedDecodersOff()
    {
        _folder = Directory.CreateTempSubdirectory("dt-native-decoders-").FullName;
        _raw = FlashImages.MakeSparse(_folder, "os.wic", ImageSize);
        _path = Environment.GetEnvironmentVariable("PATH");
        AppContext.SetSwitch(ManagedDecoders.SwitchName, false);
    }

    [TestCleanup]
    public void Restore()
    {
        AppContext.SetSwitch(ManagedDecoders.SwitchName, true);
        Environment.SetEnvironmentVariable("PATH", _path);
        Directory.Delete(_folder, recursive: true);
    }

    [TestMethod]
    [DataRow("xz", "xz -dc -T0 -q")]
    [DataRow("zstd", "zstd -dc -q")]
    [DataRow("bzip2", "bzip2 -dc")]
    [DataRow("gzip", "gzip -dc")]
    public async Task Each_format_is_decompressed_by_its_program_and_written_byte_for_byte(string tool, string decoder)
    {
        var image = await CompressAsync(tool);

        var (used, disk) = await WriteAsync(image);

        // gzip: pigz where it is installed (as bmaptool prefers it), else gzip.
        Assert.AreEqual(tool == "gzip" && ToolPath.Find("pigz") is not null ? "pigz -dc" : decoder, used);
        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_raw, TestContext.CancellationToken), disk);
    }

    [TestMethod]
    [DataRow("xz", "xz-compressed, and this devicetest (the native build) decompresses xz with the xz program, which is not on PATH: install it (Debian/Ubuntu: apt-get install xz-utils)")]
    [DataRow("zstd", "zstd-compressed, and this devicetest (the native build) decompresses zstd with the zstd program, which is not on PATH: install it (Debian/Ubuntu: apt-get install zstd)")]
    [DataRow("bzip2", "bzip2-compressed, and this devicetest (the native build) decompresses bzip2 with the bzip2 (or lbzip2, pbzip2) program, which is not on PATH: install it (Debian/Ubuntu: apt-get install bzip2)")]
    [DataRow("gzip", "gzip-compressed, and this devicetest (the native build) decompresses gzip with the gzip (or pigz) program, which is not on PATH: install it (Debian/Ubuntu: apt-get install gzip)")]
    public async Task A_missing_program_refuses_the_image_before_anything_is_written_naming_the_package(string tool, string says)
    {
        var image = await CompressAsync(tool);
        var disk = Path.Combine(_folder, "disk.img");
        await File.WriteAllBytesAsync(disk, new byte[4096], TestContext.CancellationToken);
        Environment.SetEnvironmentVariable("PATH", Directory.CreateTempSubdirectory("dt-empty-path-").FullName);

        var flash = await FlashImage.OpenAsync(image, TestContext.CancellationToken);
        var early = Assert.ThrowsExactly<FlashException>(() => new LocalMediumWriter().CheckDecoder(flash));
        var late = await Assert.ThrowsExactlyAsync<FlashException>(() => new LocalMediumWriter().WriteAsync(flash, disk, verify: true, null, TestContext.CancellationToken));

        foreach (var e in new[] { early, late })
        {
            Assert.AreEqual(FlashFailure.BadImage, e.Failure, "devicetest flash exits 2");
            StringAssert.Contains(e.Message, $"image {image} is {says} or decompress the image first; nothing was written");
        }

        CollectionAssert.AreEqual(new byte[4096], await File.ReadAllBytesAsync(disk, TestContext.CancellationToken), "the medium is untouched");
    }

    [TestMethod]
    public async Task The_dotnet_tool_decompresses_gzip_in_process_without_a_program()
    {
        var image = await CompressAsync("gzip");
        AppContext.SetSwitch(ManagedDecoders.SwitchName, true);
        Environment.SetEnvironmentVariable("PATH", Directory.CreateTempSubdirectory("dt-empty-path-").FullName);

        var (used, disk) = await WriteAsync(image);

        Assert.AreEqual("System.IO.Compression", used);
        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(_raw, TestContext.CancellationToken), disk);
    }

    private async Task<string> CompressAsync(string tool)
    {
        await FlashImages.RunToolAsync(tool, "-k", "-f", "-q", _raw);
        var extension = tool switch { "xz" => ".xz", "zstd" => ".zst", "bzip2" => ".bz2", _ => ".gz" };
        return _raw + extension;
    }

    private async Task<(string Decoder, byte[] Disk)> WriteAsync(string imagePath)
    {
        var image = await FlashImage.OpenAsync(imagePath, TestContext.CancellationToken);
        var disk = Path.Combine(_folder, "disk.img");
        var copy = new ImageCopy(image, TimeProvider.System);
        string decoder;
        using (var target = MediumFile.OpenFile(disk, image.Size))
        {
            await using var source = DecodedImageStream.Open(image, preferLibrary: true);
            decoder = source.Decoder;
            await copy.WriteAsync(source, target, null, TestContext.CancellationToken);
        }

        return (decoder, await File.ReadAllBytesAsync(disk, TestContext.CancellationToken));
    }
}
