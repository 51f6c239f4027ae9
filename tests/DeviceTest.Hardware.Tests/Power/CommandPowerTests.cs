using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Power;

namespace DeviceTest.Hardware.Tests.Power;

[TestClass]
public sealed class CommandPowerTests
{
    private DirectoryInfo _dir = null!;

    private string State => Path.Combine(_dir.FullName, "relay");

    [TestInitialize]
    public void Setup() => _dir = Directory.CreateTempSubdirectory("devicetest-power-");

    [TestCleanup]
    public void Cleanup() => _dir.Delete(recursive: true);

    [TestMethod]
    public async Task On_off_and_cycle_run_their_commands_in_order()
    {
        var power = new CommandPower(new CommandPowerConfig
        {
            On = $"echo on >> '{State}'",
            Off = $"echo off >> '{State}'",
            CycleDelay = TimeSpan.FromMilliseconds(10),
        });

        await power.OnAsync(CancellationToken.None);
        await power.OffAsync(CancellationToken.None);
        await power.CycleAsync(CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "on", "off", "off", "on" }, await File.ReadAllLinesAsync(State));
        StringAssert.Contains(power.Description, "echo on");
    }

    [TestMethod]
    public async Task A_cycle_command_is_used_when_configured()
    {
        var power = new CommandPower(new CommandPowerConfig
        {
            On = $"echo on >> '{State}'",
            Off = $"echo off >> '{State}'",
            Cycle = $"echo cycle >> '{State}'",
        });

        await power.CycleAsync(CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "cycle" }, await File.ReadAllLinesAsync(State));
    }

    [TestMethod]
    public async Task A_failing_command_reports_the_command_its_exit_code_and_stderr()
    {
        var power = new CommandPower(new CommandPowerConfig { On = "echo 'relay 3: no such port' >&2; exit 4", Off = "true" });

        var e = await Assert.ThrowsExactlyAsync<PowerException>(() => power.OnAsync(CancellationToken.None));

        StringAssert.Contains(e.Message, "power on command `echo 'relay 3: no such port' >&2; exit 4`");
        StringAssert.Contains(e.Message, "exit code 4");
        StringAssert.Contains(e.Message, "relay 3: no such port");
    }

    [TestMethod]
    public async Task A_hanging_command_is_killed_after_the_timeout()
    {
        var power = new CommandPower(new CommandPowerConfig { On = "true", Off = "sleep 60" }, TimeSpan.FromMilliseconds(300));

        var e = await Assert.ThrowsExactlyAsync<PowerException>(() => power.OffAsync(CancellationToken.None));

        StringAssert.Contains(e.Message, "sleep 60");
        StringAssert.Contains(e.Message, "did not finish");
    }

    [TestMethod]
    public async Task Cancellation_stops_a_command()
    {
        var power = new CommandPower(new CommandPowerConfig { On = "sleep 60", Off = "true" });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<OperationCanceledException>(() => power.OnAsync(cts.Token));
    }
}
