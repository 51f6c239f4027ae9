using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab.Flash;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Agent.Tests.Flash;

/// <summary>
/// The end-to-end proof of docs/flash.md: the QEMU board boots from its disk (syslinux, no <c>-kernel</c>) holding
/// version 1 of the lab image; a spec flashes version 2 (xz with its block map) into <c>qemu.disk</c> while QEMU is
/// stopped, the board boots from the new disk, and a test sees version 2.
/// </summary>
[TestClass]
[DoNotParallelize]
[TestCategory(DevicetestBinary.Category)]
public sealed class QemuFlashTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_spec_flashes_version_2_over_version_1_and_the_board_boots_it_from_its_disk()
    {
        await QemuBoard.RequireAsync(TestContext.CancellationToken);
        await FlashImages.RequireBoardImagesAsync(TestContext.CancellationToken);
        using var work = new WorkFolder();
        File.Copy(FlashImages.BoardV1, work.File("board.img"));
        File.Copy(FlashImages.BoardV2Xz, work.File("board-v2.img.xz"));
        File.Copy(Path.Combine(FlashImages.Directory, "board-v2.img.bmap"), work.File("board-v2.img.bmap"));
        work.Write("devices.yml", """
            devices:
              qemu-disk:
                qemu: { disk: board.img, memory: 256 }
                shell: { prompt: '/ # $' }
            """);
        work.Write("flash.spec.yml", """
            name: flash
            sequence:
              - tests:
                  - name: version-1-before
                    command: grep -qx 1 /etc/devicetest-version
              - flash: { image: board-v2.img.xz, timeout: 10m }
              - tests:
                  - name: version-2-after
                    command: grep -qx 2 /etc/devicetest-version
            """);

        var run = await DeviceTestProcess.RunAsync(work.Path, ["run", "flash.spec.yml", "--device", "qemu-disk", "--devices", "devices.yml"], timeout: TimeSpan.FromMinutes(8));
        TestContext.WriteLine(run.Both);

        run.ExpectExit(0);
        StringAssert.Contains(run.Stdout, "PASS  flash > version-1-before");
        StringAssert.Contains(run.Stdout, "PASS  flash > version-2-after");
        StringAssert.Contains(run.Stdout, "(block map)");
        StringAssert.Contains(run.Stdout, "booted");
        var v2 = Path.Combine(FlashImages.Directory, "board-v2.img");
        CollectionAssert.AreEqual(await File.ReadAllBytesAsync(v2, TestContext.CancellationToken), await File.ReadAllBytesAsync(work.File("board.img"), TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task A_board_whose_disk_does_not_boot_is_flashed_first_when_the_spec_starts_with_flash()
    {
        await QemuBoard.RequireAsync(TestContext.CancellationToken);
        await FlashImages.RequireBoardImagesAsync(TestContext.CancellationToken);
        using var work = new WorkFolder();
        using (var blank = File.Create(work.File("board.img")))
        {
            blank.SetLength(64L << 20); // zeros: SeaBIOS finds nothing to boot
        }

        File.Copy(FlashImages.BoardV2Xz, work.File("board-v2.img.xz"));
        work.Write("devices.yml", """
            devices:
              qemu-blank:
                qemu: { disk: board.img, memory: 256 }
                shell: { prompt: '/ # $', boot_timeout: 60s }
            """);
        work.Write("recover.spec.yml", """
            name: recover
            sequence:
              - flash: { image: board-v2.img.xz, verify: false }
              - tests:
                  - name: version-2
                    command: grep -qx 2 /etc/devicetest-version
            """);

        var run = await DeviceTestProcess.RunAsync(work.Path, ["run", "recover.spec.yml", "--device", "qemu-blank", "--devices", "devices.yml"], timeout: TimeSpan.FromMinutes(8));
        TestContext.WriteLine(run.Both);

        run.ExpectExit(0);
        StringAssert.Contains(run.Stdout, "PASS  recover > version-2");
        StringAssert.Contains(run.Stdout, ", not verified");
    }
}
