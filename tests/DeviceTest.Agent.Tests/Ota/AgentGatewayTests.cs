using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab.Gateway;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>The agent process reporting to the mTLS gateway stand-in through the spool, across a reboot step, with the gateway down.</summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class AgentGatewayTests
{
    private const string Spec = """
        sequence:
          - tests:
              - name: smoke
                command: [sh, -c, "echo smoke; mkdir -p $TEST_DIR/1.5-probe/metrics; echo 4.5 > $TEST_DIR/1.5-probe/metrics/speed; echo data > $ARTIFACTS_DIR/data.txt"]
              - name: broken
                command: [sh, -c, "echo oops; exit 2"]
          - reboot: { command: "kill -9 $DEVICETEST_AGENT_PID" }
          - tests:
              - name: after-boot
                command: [sh, -c, "exit 0"]
        """;

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public async Task Records_reach_the_gateway_once_in_order_after_a_reboot_with_the_gateway_down_meanwhile()
    {
        using var pki = GatewayPki.Create();
        await using var gateway = await GatewayStandIn.StartAsync(pki);
        await using var lab = new AgentLab(Spec) { UseResultsFile = false };
        pki.WriteSotaDirectory(lab.SotaDir, gateway.Server);
        await gateway.StopAsync();

        // First start: runs until the reboot step kills the agent; docker restarts it; it finishes the run.
        var first = lab.Start();
        Assert.AreEqual(137, await first.WaitForExitAsync(TimeSpan.FromMinutes(2)), first.Log);
        var second = lab.Start();
        await second.WaitForLogAsync("run .*: finished", TimeSpan.FromMinutes(2));

        await gateway.RestartAsync();
        await gateway.WaitForAsync(g => g.Tests.Count == 4 && g.Tests.Values.All(t => t.Completions == 1), TimeSpan.FromMinutes(2), "all four records");

        var tests = gateway.Tests.Values.ToArray();
        Assert.IsTrue(tests.All(t => t.Creations == 1 && t.Completions == 1), string.Join(", ", gateway.Requests));
        var posts = gateway.Requests.Where(r => r.Method == "POST" && r.Status == 201).Select(r => r.BodyText).ToArray();
        var order = new[] { "smoke", "broken", "reboot", "after-boot" };
        for (var i = 0; i < order.Length; i++)
        {
            StringAssert.Contains(posts[i], $"\"name\":\"{order[i]}\"");
        }

        var byName = tests.ToDictionary(t => t.Name);
        Assert.AreEqual("PASSED", byName["smoke"].Status);
        Assert.AreEqual("lmp-x86-64-42", byName["smoke"].TargetHeader ?? byName["smoke"].TargetField);
        CollectionAssert.IsSubsetOf(new[] { "console.log", "data.txt" }, byName["smoke"].Artifacts.Keys.ToArray());
        StringAssert.Contains(byName["smoke"].Results!.Value.GetRawText(), "\"probe\"");
        Assert.AreEqual("FAILED", byName["broken"].Status);
        StringAssert.Contains(byName["broken"].Details, "oops");
        Assert.AreEqual("PASSED", byName["reboot"].Status);
        Assert.AreEqual("PASSED", byName["after-boot"].Status);
    }
}
