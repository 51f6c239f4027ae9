using System.Diagnostics;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Keyboards;

namespace DeviceTest.Hardware.Tests.Keyboards;

/// <summary>The key-command keyboard with a real recording script: one run per key, with the qcodes as {key}.</summary>
[TestClass]
public sealed class CommandKeyboardTests
{
    private string _folder = string.Empty;

    private string Log => Path.Combine(_folder, "keys.log");

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("devicetest-keys-").FullName;
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static DeviceCapabilities Keyboard(string command, TimeSpan? timeout = null) => DeviceCapabilities.Create(
        new DeviceConfig
        {
            Name = "bench",
            Ssh = new SshConfig { Host = "192.0.2.1" },
            Keyboard = new KeyboardConfig { Command = command, Delay = TimeSpan.FromMilliseconds(1), Timeout = timeout ?? TimeSpan.FromSeconds(10) },
        },
        machine: null);

    private string Recorder => $"echo {{key}} >> {Log}";

    [TestMethod]
    public async Task Typed_text_runs_the_command_once_per_key_with_shift_for_shifted_characters()
    {
        await using var capabilities = Keyboard(Recorder);

        await capabilities.Keyboard!.TypeAsync("Hi! >x\n", CancellationToken.None);
        await capabilities.Keyboard.PressAsync("ctrl-alt-delete", CancellationToken.None);

        CollectionAssert.AreEqual(
            new[] { "shift-h", "i", "shift-1", "spc", "shift-dot", "x", "ret", "ctrl-alt-delete" },
            await File.ReadAllLinesAsync(Log));
        Assert.AreEqual("key command on this machine", capabilities.Keyboard.Description);
    }

    [TestMethod]
    public async Task An_unknown_key_or_untypable_text_sends_nothing()
    {
        await using var capabilities = Keyboard(Recorder);

        var unknown = await Assert.ThrowsExactlyAsync<ArgumentException>(() => capabilities.Keyboard!.PressAsync("ctrl-alt-dleete", CancellationToken.None));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => capabilities.Keyboard!.TypeAsync("abc€", CancellationToken.None));

        StringAssert.Contains(unknown.Message, "unknown key `dleete`");
        StringAssert.Contains(unknown.Message, "Known keys:");
        Assert.IsFalse(File.Exists(Log), "no key went out");
    }

    [TestMethod]
    public async Task A_failing_or_hanging_key_command_is_reported_in_bounded_time()
    {
        await using var failing = Keyboard("echo gadget busy >&2; exit 4 # {key}");
        await using var hanging = Keyboard("sleep 60 # {key}", TimeSpan.FromSeconds(1));
        var started = Stopwatch.StartNew();

        var failed = await Assert.ThrowsExactlyAsync<KeyboardException>(() => failing.Keyboard!.PressAsync("ret", CancellationToken.None));
        var hung = await Assert.ThrowsExactlyAsync<KeyboardException>(() => hanging.Keyboard!.PressAsync("ret", CancellationToken.None));

        StringAssert.Contains(failed.Message, "failed with exit code 4: gadget busy");
        StringAssert.Contains(hung.Message, "did not finish within 1s and was killed");
        Assert.IsLessThan(15, started.Elapsed.TotalSeconds);
    }
}
