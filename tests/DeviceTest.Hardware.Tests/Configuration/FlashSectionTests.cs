using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Tests.Configuration;

/// <summary>The <c>flash</c> and <c>lab</c> sections of devices.yml: what is read, and each mistake at its line and column.</summary>
[TestClass]
public sealed class FlashSectionTests
{
    [TestMethod]
    public void A_board_with_an_sd_mux_on_a_lab_host_is_read()
    {
        var result = DeviceFileLoader.LoadText("""
            devices:
              rpi4:
                ssh: { host: 192.0.2.20, user: root }
                lab: { ssh: { host: labhost-1, user: lab, port: 2200 } }
                flash:
                  disk: /dev/disk/by-id/usb-LinuxAut_sdmux_HS-SD_MMC_000000001234-0:0
                  mux: { host: "usbsdmux /dev/sg1 host", dut: "usbsdmux /dev/sg1 dut" }
                  settle: 2s
                  timeout: 1m
            """, "devices.yml");

        Assert.IsFalse(result.HasErrors, string.Join("\n", result.Diagnostics));
        var device = result.Find("rpi4")!;
        Assert.AreEqual("/dev/disk/by-id/usb-LinuxAut_sdmux_HS-SD_MMC_000000001234-0:0", device.Flash!.Disk);
        Assert.AreEqual("usbsdmux /dev/sg1 host", device.Flash.Mux!.Host);
        Assert.AreEqual("usbsdmux /dev/sg1 dut", device.Flash.Mux.Dut);
        Assert.AreEqual(TimeSpan.FromSeconds(2), device.Flash.Settle);
        Assert.AreEqual(TimeSpan.FromMinutes(1), device.Flash.Timeout);
        Assert.AreEqual("labhost-1", device.Lab!.Ssh.Host);
        Assert.AreEqual(2200, device.Lab.Ssh.Port);
    }

    [TestMethod]
    public void A_device_with_only_flash_is_a_flashing_station_and_a_vendor_command_needs_image()
    {
        var result = DeviceFileLoader.LoadText("""
            devices:
              station:
                flash: { disk: /dev/sdb }
              vendor-board:
                serial: { port: /dev/ttyUSB0 }
                flash: { command: "uuu -b emmc_all {image}" }
            """, "devices.yml");

        Assert.IsFalse(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.AreEqual("/dev/sdb", result.Find("station")!.Flash!.Disk);
        Assert.AreEqual("uuu -b emmc_all {image}", result.Find("vendor-board")!.Flash!.Command);
    }

    [TestMethod]
    [DataRow("flash: { }", 3, 12, "needs `disk`")]
    [DataRow("flash: { disk: /dev/sdb, command: \"x {image}\" }", 3, 12, "has both `disk` and `command`")]
    [DataRow("flash: { command: \"fastboot flash\" }", 3, 23, "must say where the image goes")]
    [DataRow("flash: { disk: sdb }", 3, 20, "must be an absolute path")]
    [DataRow("flash: { command: \"x {image}\", mux: { host: a, dut: b } }", 3, 36, "`flash.mux` goes with `disk`")]
    public void A_flash_section_that_cannot_work_is_refused_where_it_is_wrong(string section, int line, int column, string message)
    {
        var result = DeviceFileLoader.LoadText($"devices:\n  b:\n    {section}\n", "devices.yml");

        var diagnostic = result.Diagnostics.Single(d => d.IsError);
        Assert.AreEqual(DeviceFileErrorCodes.FlashSection, diagnostic.Code, diagnostic.ToString());
        Assert.AreEqual((line, column), (diagnostic.Position.Line, diagnostic.Position.Column), diagnostic.ToString());
        StringAssert.Contains(diagnostic.Message, message);
        Assert.IsNull(result.Find("b"));
    }

    [TestMethod]
    public void A_qemu_board_is_flashed_through_its_disk_not_a_flash_section()
    {
        var result = DeviceFileLoader.LoadText("devices:\n  q:\n    qemu: { disk: board.img }\n    flash: { disk: /dev/sdb }\n", "devices.yml");

        var diagnostic = result.Diagnostics.Single(d => d.IsError);
        Assert.AreEqual(DeviceFileErrorCodes.FlashCombination, diagnostic.Code);
        Assert.AreEqual(4, diagnostic.Position.Line);
    }

    [TestMethod]
    public void Lab_needs_its_ssh_and_misspelt_keys_get_a_suggestion()
    {
        var missing = DeviceFileLoader.LoadText("devices:\n  b:\n    flash: { disk: /dev/sdb }\n    lab: { }\n", "devices.yml");
        Assert.AreEqual(DeviceFileErrorCodes.MissingKey, missing.Diagnostics.Single(d => d.IsError).Code);

        var misspelt = DeviceFileLoader.LoadText("devices:\n  b:\n    flash: { disk: /dev/sdb, setle: 2s }\n", "devices.yml");
        var diagnostic = misspelt.Diagnostics.Single(d => d.IsError);
        Assert.AreEqual(DeviceFileErrorCodes.UnknownKey, diagnostic.Code);
        StringAssert.Contains(diagnostic.Message, "settle");
    }
}
