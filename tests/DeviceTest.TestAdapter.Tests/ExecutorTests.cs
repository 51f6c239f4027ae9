using System.Diagnostics;
using DeviceTest.TestAdapter.Execution;
using DeviceTest.Framework.Leasing;
using DeviceTest.TestAdapter.Tests.Fakes;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using TestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;
using TestResult = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResult;

namespace DeviceTest.TestAdapter.Tests;

[TestClass]
public sealed class ExecutorTests
{
    private const string Spec = """
        name: exec
        sequence:
          - tests:
              - name: passes
                command: echo out; echo err >&2
              - name: fails
                command: exit 3
          - reboot: { command: /sbin/reboot }
          - tests:
              - name: artifact
                command: echo data > "$ARTIFACTS_DIR/data.txt"
        """;

    [TestMethod]
    public void Runs_every_test_on_local_and_records_outcomes_output_and_attachments()
    {
        using var project = new SpecProject();
        project.AddSpec("exec.spec.yml", Spec);
        var sink = new RecordingSink();

        NewExecutor(project).RunTests([project.Source], Context(project), sink);

        Assert.HasCount(3, sink.Results);
        var passed = sink.Result("passes");
        Assert.AreEqual(TestOutcome.Passed, passed.Outcome);
        Assert.AreEqual("local", passed.ComputerName);
        StringAssert.Contains(Message(passed, TestResultMessage.StandardOutCategory), "out");
        StringAssert.Contains(Message(passed, TestResultMessage.StandardErrorCategory), "err");
        var failed = sink.Result("fails");
        Assert.AreEqual(TestOutcome.Failed, failed.Outcome);
        Assert.IsFalse(string.IsNullOrEmpty(failed.ErrorMessage));
        var files = sink.Result("artifact").Attachments.SelectMany(a => a.Attachments).Select(a => a.Uri.LocalPath).ToList();
        Assert.IsTrue(files.Any(f => f.EndsWith("data.txt", StringComparison.Ordinal) && File.Exists(f)), string.Join(", ", files));
        Assert.IsTrue(files.Any(f => f.EndsWith("console.log", StringComparison.Ordinal)), string.Join(", ", files));
        Assert.HasCount(3, sink.Started);
        Assert.IsEmpty(sink.Errors.ToList());
    }

    [TestMethod]
    public void Results_and_messages_reach_vstest_in_the_order_the_run_made_them_before_RunTests_returns()
    {
        using var project = new SpecProject();
        project.AddSpec("exec.spec.yml", Spec);
        var sink = new RecordingSink { RecordResultTime = TimeSpan.FromMilliseconds(50) };

        NewExecutor(project).RunTests([project.Source], Context(project), sink);

        var events = sink.Events.ToList();
        var log = string.Join("\n", events);
        int At(string step) => events.IndexOf(step);
        foreach (var name in new[] { "passes", "fails", "artifact" })
        {
            Assert.IsTrue(At("start " + name) >= 0 && At("start " + name) < At("result " + name) && At("result " + name) < At("end " + name), log);
        }

        var reboot = events.FindIndex(e => e.StartsWith("message ", StringComparison.Ordinal) && e.Contains("reboot", StringComparison.OrdinalIgnoreCase));
        Assert.IsTrue(At("end fails") < reboot && reboot < At("start artifact"), log);
    }

    [TestMethod]
    public void A_soak_attaches_the_files_of_failures_and_of_the_first_passing_iterations_only()
    {
        // A TRX logger copies every attachment: a 49k-iteration soak under dotnet test copied 49k console logs.
        using var project = new SpecProject();
        var counter = Path.Combine(project.Directory, "count");
        project.AddSpec("soak.spec.yml", $"""
            name: soak
            sequence:
              - tests:
                  - name: tick
                    command: n=$(cat {counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {counter}; echo "tick $n" > "$ARTIFACTS_DIR/tick.txt"; test $n -ne 7
                repeat: {"{"} total: 9, delay_seconds: 0 {"}"}
            """);
        var sink = new RecordingSink();

        NewExecutor(project).RunTests([project.Source], Context(project), sink);

        Assert.HasCount(9, sink.Results);
        TestResult Tick(int iteration) => sink.Results.Single(r => r.DisplayName == $"tick #{iteration}" && RecordingSink.ParentOf(r) is null);
        string[] Attached(int iteration) => [.. Tick(iteration).Attachments.SelectMany(a => a.Attachments).Select(a => Path.GetFileName(a.Uri.LocalPath))];
        for (var i = 1; i <= 5; i++)
        {
            CollectionAssert.Contains(Attached(i), "tick.txt", $"passing iteration #{i} keeps its files");
        }

        Assert.AreEqual(TestOutcome.Failed, Tick(7).Outcome);
        CollectionAssert.Contains(Attached(7), "tick.txt", "a failed iteration always keeps its files");
        foreach (var i in new[] { 6, 8, 9 })
        {
            Assert.IsEmpty(Attached(i), $"passing iteration #{i} of a soak");
            StringAssert.Contains(Message(Tick(i), TestResultMessage.AdditionalInfoCategory), "are not attached (soak); they stay in ");
        }
    }

    [TestMethod]
    public void Run_selected_runs_exactly_the_selected_tests()
    {
        using var project = new SpecProject();
        project.AddSpec("exec.spec.yml", Spec);
        var discovered = new RecordingSink();
        new DeviceTestDiscoverer().DiscoverTests([project.Source], Context(project), discovered, discovered);
        var sink = new RecordingSink();

        NewExecutor(project).RunTests(discovered.TestCases.Where(t => t.DisplayName != "fails").ToList(), Context(project), sink);

        CollectionAssert.AreEquivalent(new[] { "passes", "artifact" }, sink.Results.Select(r => r.TestCase.DisplayName).ToArray());
        Assert.IsTrue(sink.Results.All(r => r.Outcome == TestOutcome.Passed));
    }

    [TestMethod]
    public void A_selected_test_that_no_longer_exists_is_reported_not_found()
    {
        using var project = new SpecProject();
        project.AddSpec("exec.spec.yml", Spec);
        var gone = new TestCase("DeviceTest.Specs.exec.gone", new Uri("executor://DeviceTest/TestAdapter/v1"), project.Source);
        var sink = new RecordingSink();

        NewExecutor(project).RunTests([gone], Context(project), sink);

        Assert.AreEqual(TestOutcome.NotFound, sink.Results.Single().Outcome);
        StringAssert.Contains(sink.Results.Single().ErrorMessage, "rebuild");
    }

    [TestMethod]
    public void An_unknown_device_is_one_clear_error_and_nothing_runs()
    {
        using var project = new SpecProject();
        project.AddSpec("exec.spec.yml", Spec);
        var sink = new RecordingSink();

        NewExecutor(project).RunTests([project.Source], Context(project, "<Device>nope</Device>"), sink);

        var error = sink.Errors.Single();
        StringAssert.Contains(error, "no device 'nope'");
        StringAssert.Contains(error, "Known devices: local");
        Assert.IsTrue(sink.Results.All(r => r.Outcome == TestOutcome.Skipped));
    }

    [TestMethod]
    public void A_lease_folder_that_is_not_private_fails_the_tests_with_the_reason_and_nothing_runs()
    {
        using var project = new SpecProject();
        var marker = Path.Combine(project.Directory, "ran");
        project.AddSpec("exec.spec.yml", $"sequence:\n  - tests:\n      - name: t\n        command: touch {marker}\n");
        var leases = Path.Combine(project.Directory, "leases");
        Directory.CreateDirectory(Path.Combine(project.Directory, "elsewhere"));
        File.CreateSymbolicLink(leases, Path.Combine(project.Directory, "elsewhere"));
        var sink = new RecordingSink();

        new DeviceTestExecutor(new AdapterServices { Leases = new LeaseDirectory(leases) }).RunTests([project.Source], Context(project), sink);

        var result = sink.Results.Single();
        Assert.AreEqual(TestOutcome.Failed, result.Outcome);
        StringAssert.Contains(result.ErrorMessage, $"cannot use the device lease folder {leases}: it is a symbolic link");
        Assert.IsFalse(File.Exists(marker));
    }

    [TestMethod]
    public void A_bad_devices_file_is_one_clear_error_with_its_position()
    {
        using var project = new SpecProject();
        project.AddSpec("exec.spec.yml", Spec);
        File.WriteAllText(Path.Combine(project.Directory, "devices.yml"), "devices:\n  board:\n    sssh: { host: x }\n");
        var sink = new RecordingSink();

        NewExecutor(project).RunTests([project.Source], Context(project), sink);

        var error = sink.Errors.Single();
        StringAssert.Contains(error, "devices.yml");
        StringAssert.Contains(error, ":3:");
        Assert.IsTrue(sink.Results.All(r => r.Outcome == TestOutcome.Skipped));
    }

    [TestMethod]
    public void Malformed_runsettings_are_a_clear_error()
    {
        using var project = new SpecProject();
        project.AddSpec("exec.spec.yml", Spec);
        var sink = new RecordingSink();

        NewExecutor(project).RunTests([project.Source], Context(project, "<Parallel>lots</Parallel>"), sink);

        StringAssert.Contains(sink.Errors.Single(), "<Parallel>");
        Assert.IsFalse(sink.Results.Any(r => r.Outcome == TestOutcome.Passed));
    }

    [TestMethod]
    public async Task Cancel_stops_the_command_on_the_device_within_seconds_and_does_not_throw()
    {
        using var project = new SpecProject();
        var marker = Path.Combine(project.Directory, "still-running");
        project.AddSpec("slow.spec.yml", $"""
            sequence:
              - tests:
                  - name: slow
                    command: sleep 60; touch '{marker}'
            """);
        var sink = new RecordingSink();
        var executor = NewExecutor(project);

        var run = Task.Run(() => executor.RunTests([project.Source], Context(project), sink));
        var deadline = Stopwatch.StartNew();
        while (sink.Started.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        Assert.HasCount(1, sink.Started);
        var watch = Stopwatch.StartNew();
        executor.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.IsLessThan(15, watch.Elapsed.TotalSeconds);
        Assert.IsFalse(File.Exists(marker));
        executor.Cancel();
    }

    [TestMethod]
    public void With_Parallel_specs_run_side_by_side_on_the_devices_with_the_tags()
    {
        using var project = new SpecProject();
        for (var i = 1; i <= 4; i++)
        {
            project.AddSpec($"s{i}.spec.yml", $"name: s{i}\nsequence:\n  - tests:\n      - name: t\n        command: sleep 1\n");
        }

        File.WriteAllText(Path.Combine(project.Directory, "devices.yml"), """
            devices:
              board-a:
                tags: [pool]
                ssh: { host: 127.0.0.1, user: root }
              board-b:
                tags: [pool, wifi]
                ssh: { host: 127.0.0.1, user: root }
              other:
                ssh: { host: 127.0.0.1, user: root }
            """);
        var sink = new RecordingSink();
        var executor = new DeviceTestExecutor(new AdapterServices
        {
            Leases = new LeaseDirectory(Path.Combine(project.Directory, "leases")),
            Devices = new RenamedDevice.Provider(),
        });

        executor.RunTests([project.Source], Context(project, "<Tags>pool</Tags><Parallel>2</Parallel>"), sink);

        Assert.IsEmpty(sink.Errors.ToList(), string.Join("\n", sink.Errors));
        Assert.HasCount(4, sink.Results);
        Assert.IsTrue(sink.Results.All(r => r.Outcome == TestOutcome.Passed));
        CollectionAssert.AreEquivalent(new[] { "board-a", "board-b" }, sink.Results.Select(r => r.ComputerName).Distinct().ToArray());
    }

    private static DeviceTestExecutor NewExecutor(SpecProject project) => new(new AdapterServices
    {
        Leases = new LeaseDirectory(Path.Combine(project.Directory, "leases")),
    });

    private static FakeRunContext Context(SpecProject project, string deviceTestXml = "") =>
        new($"<RunSettings><DeviceTest>{deviceTestXml}</DeviceTest></RunSettings>", Path.Combine(project.Directory, "TestResults"));

    private static string Message(TestResult result, string category) =>
        string.Concat(result.Messages.Where(m => m.Category == category).Select(m => m.Text));
}
