using System.Text;
using DeviceTest.Agent.Ota;
using DeviceTest.Hardware.Local;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// What an agent test costs on the device it runs on, counted on recording sides around the real local device and a
/// real sshd (the lab's SSH board as the host of on_host tests, with its own TMPDIR so that each side's directories
/// can be told apart): one round trip for a test that leaves nothing, each side's work directories made, reused and
/// removed on that side only, nothing left on either side at the end, also when a run is stopped; a side that cannot
/// run a test in one round trip takes the four steps.
/// </summary>
[TestClass]
public sealed class AgentRoundTripTests
{
    private const int Pairs = 36;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task An_agent_test_that_leaves_nothing_costs_one_round_trip_on_this_machine()
    {
        var trips = new List<string>();
        var local = new RecordingOneRoundTripSide("local", new LocalDevice(), trips);
        await using var device = new AgentDevice(local, host: null);
        using var run = new InProcessAgentRun(Spec(Enumerable.Range(1, 40).Select(i => $"{{ name: t{i}, command: [/bin/true] }}")));

        await run.RunAsync(device, TestContext.CancellationToken);

        Assert.AreEqual(40, run.Reporter.Completed.Count(r => r.Status == "PASSED"), run.Log);
        Assert.AreEqual(40, local.Own.Count(t => t.StartsWith("test ", StringComparison.Ordinal)), string.Join("\n", trips));
        Assert.AreEqual(41, local.Own.Count, "40 tests, one round trip (one process) each, and one removal at the end:\n" + string.Join("\n", trips));
        StringAssert.StartsWith(local.Own[^1], "run rm -rf --");
        Assert.IsFalse(local.Made.Any(Directory.Exists), "no work directory is left");
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task A_run_alternating_local_and_on_host_tests_keeps_each_sides_directories_there_fetches_their_files_and_leaves_none()
    {
        await using var lab = await HostLab.StartAsync(TestContext.CancellationToken);
        var (local, host) = lab.Sides();
        await using var device = new AgentDevice(local, host);
        var tests = Enumerable.Range(1, Pairs)
            .SelectMany(i => new[] { $"{{ name: local-{i}, command: [/bin/true] }}", $"{{ name: host-{i}, command: [/bin/true], on_host: true }}" })
            .Concat(
            [
                """{ name: local-files, command: [sh, -c, 'mkdir "$TEST_DIR/1-local" && echo here > "$ARTIFACTS_DIR/local.txt"'] }""",
                """{ name: host-files, command: [sh, -c, 'mkdir "$TEST_DIR/1-$(basename "$TMPDIR")" && echo there > "$ARTIFACTS_DIR/host.txt"'], on_host: true }""",
                """{ name: host-timeout, command: [sleep, "30"], timeout: 1s, on_host: true }""",
            ]);
        using var run = new InProcessAgentRun(Spec(tests) + Spec(["{ name: host-after, command: [/bin/true], on_host: true }", "{ name: local-after, command: [/bin/true] }"], header: false));

        await run.RunAsync(device, TestContext.CancellationToken);

        var records = run.Reporter.Completed.ToDictionary(r => r.Name);
        Assert.AreEqual((2 * Pairs) + 5, records.Count, run.Log);
        Assert.IsTrue(records.Values.Where(r => r.Name != "host-timeout").All(r => r.Status == "PASSED"), run.Log);
        Assert.AreEqual("FAILED", records["host-timeout"].Status);
        StringAssert.Contains(records["host-timeout"].Details, "timed out after 1s");
        CollectionAssert.AreEqual(new[] { "local" }, records["local-files"].SubResults.ToArray());
        Assert.AreEqual("here\n", records["local-files"].Artifacts["local.txt"]);
        CollectionAssert.AreEqual(new[] { Path.GetFileName(lab.HostTemp) }, records["host-files"].SubResults.ToArray(), "the on_host test ran on the host, with its TMPDIR");
        Assert.AreEqual("there\n", records["host-files"].Artifacts["host.txt"]);

        var log = string.Join("\n", lab.Trips);
        Assert.AreEqual(Pairs + 3, host.Own.Count(t => t.StartsWith("test ", StringComparison.Ordinal)), log);
        Assert.AreEqual(Pairs + 2, local.Own.Count(t => t.StartsWith("test ", StringComparison.Ordinal)), log);
        Assert.AreEqual(1, host.Own.Count(t => t == "fetch"), log);
        Assert.AreEqual(1, local.Own.Count(t => t == "fetch"), log);
        Assert.AreEqual(1, host.Own.Count(t => t.StartsWith("run ", StringComparison.Ordinal)), "the host's only other round trip is its removal at the end:\n" + log);
        Assert.AreEqual(1, local.Own.Count(t => t.StartsWith("run ", StringComparison.Ordinal)), "this machine's only other process is its removal at the end:\n" + log);
        Assert.IsTrue(host.Own.Any(t => t.StartsWith("test removing 32", StringComparison.Ordinal)), "the host removed a batch with a test:\n" + log);
        Assert.IsTrue(host.Own.Any(t => t.EndsWith(" premade", StringComparison.Ordinal)), "the host's tests used directories it made ahead:\n" + log);
        lab.AssertEachSideKeptItsOwn(local, host);
        lab.AssertNothingLeft(local);
    }

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task Stopping_a_run_during_an_on_host_test_leaves_no_work_directory_on_either_side()
    {
        await using var lab = await HostLab.StartAsync(TestContext.CancellationToken);
        var (local, host) = lab.Sides();
        await using var device = new AgentDevice(local, host);
        var note = Path.Combine(lab.Root, "hang-started");
        using var run = new InProcessAgentRun(Spec(
        [
            "{ name: local-1, command: [/bin/true] }",
            "{ name: host-1, command: [/bin/true], on_host: true }",
            "{ name: local-2, command: [/bin/true] }",
            $"{{ name: hang, command: [sh, -c, 'echo started > {note}; sleep 1000'], on_host: true }}",
            "{ name: never, command: [/bin/true] }",
        ]));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);

        var running = run.RunAsync(device, stop.Token);
        await AgentLab.WaitUntilAsync(() => File.Exists(note), "the on_host test to start");
        await stop.CancelAsync();
        await running;

        var statuses = run.Reporter.Completed.Select(r => $"{r.Name} {r.Status}").ToArray();
        CollectionAssert.AreEqual(new[] { "local-1 PASSED", "host-1 PASSED", "local-2 PASSED", "hang FAILED" }, statuses, run.Log);
        Assert.AreEqual("stopped: install-pre", run.Reporter.Completed[^1].Details);
        lab.AssertEachSideKeptItsOwn(local, host);
        lab.AssertNothingLeft(local);
    }

    [TestMethod]
    public async Task A_side_that_cannot_run_a_test_in_one_round_trip_takes_the_four_steps_and_the_other_side_one()
    {
        var trips = new List<string>();
        var local = new RecordingOneRoundTripSide("local", new LocalDevice(), trips);
        var host = new RecordingSide("host", new LocalDevice(), trips);
        await using var device = new AgentDevice(local, host);
        using var run = new InProcessAgentRun(Spec(
        [
            "{ name: local-1, command: [/bin/true] }",
            "{ name: host-1, command: [/bin/true], on_host: true }",
            "{ name: local-2, command: [/bin/true] }",
            """{ name: host-files, command: [sh, -c, 'mkdir "$TEST_DIR/1-sub" && echo x > "$ARTIFACTS_DIR/a.txt"'], on_host: true }""",
        ]));

        await run.RunAsync(device, TestContext.CancellationToken);

        var log = string.Join("\n", trips);
        Assert.IsTrue(run.Reporter.Completed.All(r => r.Status == "PASSED") && run.Reporter.Completed.Count == 4, run.Log);
        CollectionAssert.AreEqual(new[] { "sub" }, run.Reporter.Completed[^1].SubResults.ToArray());
        Assert.AreEqual("x\n", run.Reporter.Completed[^1].Artifacts["a.txt"]);
        var hostKinds = host.Own.Select(Kind).ToArray();
        CollectionAssert.AreEqual(
            new[] { "mktemp", "run", "get-directory", "rm", "mktemp", "run", "get-directory", "rm" }, hostKinds, "make, run, fetch, remove for each host test:\n" + log);
        CollectionAssert.AreEqual(new[] { "test", "test", "rm" }, local.Own.Select(Kind).ToArray(), "one round trip for each local test, one removal at the end:\n" + log);
        var hostDirectories = host.Own.Where(t => t.StartsWith("get-directory ", StringComparison.Ordinal)).Select(t => t["get-directory ".Length..]).ToArray();
        Assert.IsFalse(hostDirectories.Concat(local.Made).Any(Directory.Exists), "no work directory is left:\n" + log);
    }

    private static string Kind(string trip) =>
        trip.StartsWith("run rm -rf", StringComparison.Ordinal) ? "rm"
        : trip.StartsWith("run d=$(mktemp", StringComparison.Ordinal) ? "mktemp"
        : trip.Split(' ')[0];

    private static string Spec(IEnumerable<string> tests, bool header = true)
    {
        var text = new StringBuilder(header ? "sequence:\n" : string.Empty).Append("  - tests:\n");
        foreach (var test in tests)
        {
            text.Append("      - ").Append(test).Append('\n');
        }

        return text.ToString();
    }
}
