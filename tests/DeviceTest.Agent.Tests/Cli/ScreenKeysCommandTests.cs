namespace DeviceTest.Agent.Tests.Cli;

/// <summary>
/// <c>devicetest screenshot</c> and <c>devicetest keys</c> with bad input: nothing is touched, exit code 2, the
/// message says what to do. (On a QEMU board: <see cref="Devices.QemuScreenRunTests"/>.)
/// </summary>
[TestClass]
public sealed class ScreenKeysCommandTests
{
    private const string NoScreen = "devices:\n  plain:\n    ssh: { host: 127.0.0.1, port: 9 }\n";

    [TestMethod]
    public async Task An_unknown_key_name_is_bad_input_with_the_known_names()
    {
        using var work = new WorkFolder();
        work.Write("devices.yml", NoScreen);

        var result = (await work.RunAsync("keys", "--device", "plain", "--press", "ctrl-alt-dlete")).ExpectExit(2).ExpectNoStackTrace();
        var untypable = (await work.RunAsync("keys", "--device", "plain", "zürich")).ExpectExit(2).ExpectNoStackTrace();
        var nothing = (await work.RunAsync("keys", "--device", "plain")).ExpectExit(2).ExpectNoStackTrace();

        StringAssert.Contains(result.Stderr, "devicetest: unknown key `dlete` in `ctrl-alt-dlete`; did you mean `delete`? Known keys: a-z, 0-9");
        StringAssert.Contains(untypable.Stderr, "character 2 of the text, 'ü' (U+00FC), has no key on a US keyboard");
        StringAssert.Contains(nothing.Stderr, "keys needs TEXT to type or --press KEYS");
    }

    [TestMethod]
    public async Task A_device_without_a_screen_or_keyboard_says_how_to_give_it_one()
    {
        using var work = new WorkFolder();
        work.Write("devices.yml", NoScreen);

        var screenshot = (await work.RunAsync("screenshot", "--device", "plain", "-o", "shot.png")).ExpectExit(2).ExpectNoStackTrace();
        var keys = (await work.RunAsync("keys", "--device", "plain", "root\\n")).ExpectExit(2).ExpectNoStackTrace();

        StringAssert.Contains(screenshot.Stderr, "device 'plain' has no screen: give it a `screen:` section in devices.yml");
        StringAssert.Contains(keys.Stderr, "device 'plain' has no keyboard: give it a `keyboard:` section in devices.yml");
        Assert.IsFalse(File.Exists(work.File("shot.png")));
    }

    [TestMethod]
    public async Task A_failing_capture_command_exits_three_with_its_error()
    {
        using var work = new WorkFolder();
        work.Write("devices.yml", NoScreen + "    screen: { command: \"echo no capture card >&2; exit 1 # {output}\" }\n");

        var result = (await work.RunAsync("screenshot", "--device", "plain", "-o", "shot.png")).ExpectExit(3).ExpectNoStackTrace();

        StringAssert.Contains(result.Stderr, "the screen capture command `echo no capture card >&2; exit 1 # {output}` on this machine failed with exit code 1: no capture card");
    }

    [TestMethod]
    public async Task Validate_reports_a_bad_key_and_a_missing_reference_with_their_positions()
    {
        using var work = new WorkFolder();
        work.Write("screens.spec.yml", "sequence:\n  - keys: { press: [ctrl-alt-dlete] }\n  - screen: { expect: splash.png }\n");

        var result = (await work.RunAsync("validate", "screens.spec.yml")).ExpectExit(2).ExpectNoStackTrace();

        StringAssert.Contains(result.Stderr, "screens.spec.yml:2:21: error DT0036: unknown key `dlete`");
        StringAssert.Contains(result.Stderr, "screens.spec.yml:3:23: error DT0034: `expect` names splash.png, which cannot be read");
    }
}
