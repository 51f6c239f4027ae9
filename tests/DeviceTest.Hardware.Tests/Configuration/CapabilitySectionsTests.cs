using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Tests.Configuration;

/// <summary>devices.yml's <c>screen</c>, <c>keyboard</c>, <c>network</c> and <c>lab</c> sections: values and mistakes with positions.</summary>
[TestClass]
public sealed class CapabilitySectionsTests
{
    private static DeviceFileLoadResult Load(string yaml) => DeviceFileLoader.LoadText(yaml, "devices.yml");

    private static void Only(string yaml, string code, int line, int column, string? text = null)
    {
        var result = Load(yaml);
        var all = string.Join('\n', result.Diagnostics);
        Assert.HasCount(1, result.Diagnostics, all);
        Assert.AreEqual((code, line, column), (result.Diagnostics[0].Code, result.Diagnostics[0].Position.Line, result.Diagnostics[0].Position.Column), all);
        if (text is not null)
        {
            StringAssert.Contains(all, text);
        }
    }

    [TestMethod]
    public void A_real_board_declares_its_capture_card_keyboard_switch_port_and_lab_host()
    {
        var result = Load("""
            devices:
              rpi4:
                ssh: { host: 192.0.2.20, user: root }
                lab: { ssh: { host: labhost-1, user: lab, port: 2222 } }
                screen: { command: "ffmpeg -f v4l2 -i /dev/video0 -frames:v 1 -y {output}", timeout: 20s }
                keyboard: { command: "hid-key {key}", delay: 50ms }
                network: { down: "switch port 7 off", up: "switch port 7 on" }
              kvm:
                ssh: { host: 192.0.2.21 }
                screen: { url: "http://192.0.2.30/snapshot.jpg" }
              qemu-x86:
                qemu: { kernel: vmlinuz }
                keyboard: { delay: 5ms }
            """);

        Assert.IsEmpty(result.Diagnostics, string.Join('\n', result.Diagnostics));
        var rpi = result.Find("rpi4")!;
        Assert.AreEqual("labhost-1", rpi.Lab!.Ssh.Host);
        Assert.AreEqual(2222, rpi.Lab.Ssh.Port);
        Assert.AreEqual(TimeSpan.FromSeconds(20), rpi.Screen!.Timeout);
        Assert.AreEqual(TimeSpan.FromMilliseconds(50), rpi.Keyboard!.Delay);
        Assert.AreEqual("switch port 7 on", rpi.Network!.Up);
        Assert.AreEqual(new Uri("http://192.0.2.30/snapshot.jpg"), result.Find("kvm")!.Screen!.Url);
        Assert.IsNull(result.Find("qemu-x86")!.Keyboard!.Command);
    }

    [TestMethod]
    public void A_screen_command_without_output_or_with_a_url_too_is_an_error()
    {
        Only("devices:\n  b:\n    ssh: { host: h }\n    screen: { command: \"ffmpeg -i /dev/video0 x.png\" }\n",
            DeviceFileErrorCodes.MissingPlaceholder, 4, 24, "must write its frame to {output}");
        Only("devices:\n  b:\n    ssh: { host: h }\n    screen: { command: \"grab {output}\", url: \"http://h/s.jpg\" }\n",
            DeviceFileErrorCodes.ScreenBackend, 4, 13);
        Only("devices:\n  b:\n    ssh: { host: h }\n    screen: { url: \"ftp://h/s.jpg\" }\n", DeviceFileErrorCodes.BadUrl, 4, 20);
    }

    [TestMethod]
    public void A_keyboard_without_a_command_needs_a_qemu_board_and_a_command_needs_its_key()
    {
        Only("devices:\n  b:\n    ssh: { host: h }\n    keyboard: { delay: 10ms }\n", DeviceFileErrorCodes.NoKeyboardCommand, 4, 5, "only a QEMU board has a keyboard of its own");
        Only("devices:\n  b:\n    ssh: { host: h }\n    keyboard: { command: hid-key }\n", DeviceFileErrorCodes.MissingPlaceholder, 4, 26, "{key}");
    }

    [TestMethod]
    public void Network_needs_both_commands_and_lab_needs_ssh()
    {
        Only("devices:\n  b:\n    ssh: { host: h }\n    network: { down: \"ip link set lan3 down\" }\n", DeviceFileErrorCodes.MissingKey, 4, 14, "has no `up`");
        var lab = Load("devices:\n  b:\n    ssh: { host: h }\n    lab: { host: labhost }\n");
        CollectionAssert.AreEquivalent(new[] { DeviceFileErrorCodes.UnknownKey, DeviceFileErrorCodes.MissingKey }, lab.Diagnostics.Select(d => d.Code).ToArray());
        StringAssert.Contains(string.Join('\n', lab.Diagnostics), "`lab` has no `ssh`");
    }
}
