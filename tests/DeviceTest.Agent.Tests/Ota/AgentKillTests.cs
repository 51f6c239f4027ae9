using System.Text.Json;
using DeviceTest.Agent.Ota;
using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// SIGKILL at random points (seeded) of a spec with repeats and reboot steps whose "reboot" kills the agent, each
/// time restarted as docker's <c>restart: always</c> would: every record is completed exactly once, none is lost,
/// the repeat counts survive, and the state file is never corrupt.
/// </summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class AgentKillTests
{
    private const int ATimes = 40;
    private const int CTimes = 8;

    private static readonly string Spec = $$"""
        sequence:
          - tests:
              - name: a
                command: [sh, -c, "exit 0"]
              - name: b
                command: [sh, -c, "exit 0"]
            repeat: { total: {{ATimes}}, delay_seconds: 0 }
          - reboot: { command: "kill -9 $DEVICETEST_AGENT_PID" }
          - tests:
              - name: c
                command: [sh, -c, "exit 0"]
            repeat: { total: {{CTimes}}, delay_seconds: 0 }
          - reboot: { command: "kill -9 $DEVICETEST_AGENT_PID" }
          - tests:
              - name: d
                command: [sh, -c, "exit 0"]
        """;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task Fifty_SIGKILLs_lose_nothing_and_complete_every_record_exactly_once()
    {
        LabRequirement.Programs("setsid");
        await using var lab = new AgentLab(Spec);
        var random = new Random(20260506);
        var kills = 0;
        var reboots = 0;
        while (kills < 50)
        {
            var agent = lab.Start();
            var delay = TimeSpan.FromMilliseconds(random.Next(0, 1500));
            var exited = await Task.WhenAny(agent.WaitForExitAsync(TimeSpan.FromMinutes(2)), Task.Delay(delay));
            if (agent.HasExited)
            {
                reboots++;
                Assert.AreEqual(137, agent.ExitCode, $"only the spec's reboot stops the agent. Its log:\n{agent.Log}");
            }
            else
            {
                agent.Kill();
                await agent.WaitForExitAsync(TimeSpan.FromMinutes(1));
                kills++;
            }

            AssertStateReadable(lab);
        }

        // Let the run finish, restarting after its reboots.
        for (var lives = 0; File.Exists(lab.StatePath) || lab.Completions().Count < Expected().Length; lives++)
        {
            Assert.IsLessThan(10, lives, "the run did not finish after the kills");
            var agent = lab.Start();
            var finished = agent.WaitForLogAsync("run .*: finished", TimeSpan.FromMinutes(2));
            var exited = agent.WaitForExitAsync(TimeSpan.FromMinutes(2));
            await Task.WhenAny(finished, exited);
            if (agent.HasExited)
            {
                reboots++;
            }
            else
            {
                await agent.TerminateAsync();
            }

            AssertStateReadable(lab);
        }

        var records = lab.Records();
        var starts = records.Where(r => Event(r) == "start").ToArray();
        var completions = records.Where(r => Event(r) == "complete").ToArray();
        CollectionAssert.AreEqual(Expected(), starts.Select(r => r.GetProperty("name").GetString()).ToArray(), "one record per test execution and reboot, in spec order");
        Assert.HasCount(starts.Length, starts.Select(Id).Distinct().ToArray(), "ids are unique");
        CollectionAssert.AreEqual(starts.Select(Id).ToArray(), completions.Select(Id).ToArray(), "each record completed exactly once, in order");
        for (var i = 0; i + 1 < records.Count; i += 2)
        {
            Assert.AreEqual("start", Event(records[i]), $"line {i + 1}: a record starts only after the previous one completed");
            Assert.AreEqual(Id(records[i]), Id(records[i + 1]));
        }

        var interrupted = completions.Count(c => c.TryGetProperty("details", out var d) && d.GetString()!.StartsWith("interrupted:", StringComparison.Ordinal));
        Assert.IsTrue(completions.All(c => c.GetProperty("status").GetString() is "PASSED" || c.GetProperty("details").GetString()!.StartsWith("interrupted:", StringComparison.Ordinal)),
            "tests fail only when a kill cut them off");
        // Not "reboots >= 2": a kill that lands during a reboot step, after the agent saved where to resume, stands in
        // for that reboot (the agent then never exits by itself for it). The two reboot records are in Expected();
        // AgentGatewayTests checks that a reboot step makes the agent exit 137.
        Assert.AreEqual(2, starts.Count(s => s.GetProperty("name").GetString() == "reboot"), "both reboot steps were recorded (and, with the id check above, completed)");
        Assert.IsFalse(File.Exists(lab.StatePath));
        Assert.IsEmpty(Directory.GetFiles(lab.StateDir, ".run-state.json.tmp-*"), "no temporary files are left behind");
        Console.WriteLine($"{kills} kills, {reboots} reboots, {interrupted} tests cut off, {completions.Length} records");
    }

    private static string[] Expected() =>
    [
        .. Enumerable.Repeat(new[] { "a", "b" }, ATimes).SelectMany(x => x),
        "reboot",
        .. Enumerable.Repeat("c", CTimes),
        "reboot",
        "d",
    ];

    private static string? Event(JsonElement record) => record.GetProperty("event").GetString();

    private static string? Id(JsonElement record) => record.GetProperty("test_id").GetString();

    private static void AssertStateReadable(AgentLab lab)
    {
        if (!File.Exists(lab.StatePath))
        {
            return;
        }

        var bytes = File.ReadAllBytes(lab.StatePath);
        var state = AgentJson.ReadRunState(bytes);
        Assert.IsNotNull(state, "state file holds null");
        Assert.IsNull(state.Problem(), $"state file: {System.Text.Encoding.UTF8.GetString(bytes)}");
    }
}
