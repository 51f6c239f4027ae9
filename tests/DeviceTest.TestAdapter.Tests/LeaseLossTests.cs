using DeviceTest.Framework.Leasing;
using DeviceTest.Framework.Leasing.Etcd;
using DeviceTest.Lab.Etcd;
using DeviceTest.TestAdapter.Execution;
using DeviceTest.TestAdapter.Tests.Fakes;
using TestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>The executor with its device leased in a real etcd cluster, when that lease is taken away.</summary>
[TestClass]
public sealed class LeaseLossTests
{
    [TestMethod]
    public async Task A_run_whose_lease_is_revoked_stops_the_test_on_the_device_and_fails_the_rest_with_the_reason()
    {
        await using var cluster = await EtcdCluster.StartAsync();
        using var project = new SpecProject();
        var started = Path.Combine(project.Directory, "started");
        var gate = Path.Combine(project.Directory, "gate");
        var named = Path.Combine(project.Directory, "device");
        project.AddSpec("held.spec.yml", $$"""
            name: held
            sequence:
              - tests:
                  - name: names
                    command: echo "$DEVICETEST_DEVICE" > '{{named}}'
                  - name: waits
                    command: touch '{{started}}'; for i in $(seq 1200); do [ -e '{{gate}}' ] && break; sleep 0.05; done
                  - name: after
                    command: 'true'
            """);
        File.WriteAllText(Path.Combine(project.Directory, "devices.yml"), "devices:\n  board-a:\n    ssh: { host: 127.0.0.1, user: root }\n");
        var executor = new DeviceTestExecutor(new AdapterServices { Devices = new RenamedDevice.Provider() });
        var sink = new RecordingSink();
        var context = new FakeRunContext(
            $"<RunSettings><DeviceTest><Device>board-a</Device><Leases>{cluster.UrlWithTimeToLive(TimeSpan.FromSeconds(5))}</Leases></DeviceTest></RunSettings>",
            Path.Combine(project.Directory, "TestResults"));
        var run = Task.Run(() => executor.RunTests([project.Source], context, sink));
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!File.Exists(started))
            {
                Assert.IsFalse(run.IsCompleted || DateTime.UtcNow > deadline, $"the test did not start: {string.Join("\n", sink.Messages)}");
                await Task.Delay(20);
            }

            await using var operatorStore = new EtcdLeaseStore(EtcdLeaseOptions.Parse(cluster.Url));
            Assert.IsTrue((await operatorStore.ReleaseAsync("board-a", force: true, CancellationToken.None)).Done);
            await run.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            File.WriteAllText(gate, "open");
        }

        Assert.AreEqual("board-a", File.ReadAllText(named).Trim());
        Assert.AreEqual(TestOutcome.Passed, sink.Result("names").Outcome);
        foreach (var name in new[] { "waits", "after" })
        {
            var result = sink.Result(name);
            Assert.AreEqual(TestOutcome.Failed, result.Outcome, name);
            StringAssert.Contains(result.ErrorMessage, "lost the lease on device 'board-a'");
        }

        Assert.IsTrue(sink.Errors.Any(e => e.Contains("lost the lease on device 'board-a'", StringComparison.Ordinal)), string.Join("\n", sink.Messages));
    }
}
