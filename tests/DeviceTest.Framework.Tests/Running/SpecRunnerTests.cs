using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware;
using TestResult = DeviceTest.Framework.Results.TestResult;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Framework.Tests.Running;

[TestClass]
public sealed class SpecRunnerTests
{
    private string _results = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateResults() => _results = Directory.CreateTempSubdirectory("devicetest-runner-").FullName;

    [TestCleanup]
    public void DeleteResults() => Directory.Delete(_results, recursive: true);

    private RunOptions Options(ManualTimeProvider? clock = null, Func<SpecTest, bool>? filter = null) => new()
    {
        ResultsDirectory = _results,
        TimeProvider = clock ?? new ManualTimeProvider(),
        TestFilter = filter,
    };

    private async Task<RunSummary> RunAsync(TestSpec spec, RecordingDevice device, RecordingObserver observer, RunOptions? options = null) =>
        await new SpecRunner(device, options ?? Options(), observer).RunAsync(spec, TestContext.CancellationToken);

    [TestMethod]
    public async Task Tests_run_in_order_and_a_failing_test_does_not_stop_the_run()
    {
        var spec = SpecBuilder.Named("smoke").Tests(SpecBuilder.Test("a", "run-a"), SpecBuilder.Test("b", "run-b"), SpecBuilder.Test("c", "run-c")).Build();
        await using var device = new RecordingDevice();
        device.Always("run-b", new ScriptedRun { ExitCode = 2 });
        var observer = new RecordingObserver();

        var outcome = await RunAsync(spec, device, observer);

        CollectionAssert.AreEqual(new[] { "run run-a", "run run-b", "run run-c" }, device.Events);
        CollectionAssert.AreEqual(
            new[] { "start a", "finish a Passed", "start b", "finish b Failed", "start c", "finish c Passed" }, observer.Events);
        Assert.AreEqual("exit code 2", observer.Results[1].Message);
        Assert.AreEqual(2, observer.Results[1].ExitCode);
        Assert.AreEqual(2, outcome.Passed);
        Assert.AreEqual(1, outcome.Failed);
        Assert.IsFalse(outcome.Cancelled);
        Assert.AreEqual(0, device.LiveWorkDirectories);
    }

    [TestMethod]
    public async Task Repeat_total_runs_the_whole_step_that_many_times_with_delays_between()
    {
        var spec = SpecBuilder.Named("rep").Tests(new RepeatPolicy(3, 5), SpecBuilder.Test("a", "run-a"), SpecBuilder.Test("b", "run-b")).Build();
        await using var device = new RecordingDevice();
        var observer = new RecordingObserver();
        var clock = new ManualTimeProvider();

        var outcome = await RunAsync(spec, device, observer, Options(clock));

        CollectionAssert.AreEqual(
            new[] { "run run-a", "run run-b", "run run-a", "run run-b", "run run-a", "run run-b" }, device.Events);
        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5) }, clock.Delays.ToArray());
        CollectionAssert.AreEqual(new[] { "a #1", "b #1", "a #2", "b #2", "a #3", "b #3" }, observer.Results.Select(r => r.DisplayName).ToArray());
        Assert.IsTrue(observer.Results.All(r => r.IsRepeated));
        Assert.IsTrue(observer.Started.All(s => s.IsRepeated));
        Assert.AreEqual(6, outcome.Passed);
    }

    [TestMethod]
    public async Task Repeat_total_one_runs_once_and_is_not_marked_repeated()
    {
        var spec = SpecBuilder.Named("once").Tests(new RepeatPolicy(1, 60), SpecBuilder.Test("a", "run-a")).Build();
        await using var device = new RecordingDevice();
        var observer = new RecordingObserver();
        var clock = new ManualTimeProvider();

        await RunAsync(spec, device, observer, Options(clock));

        Assert.HasCount(1, device.Events);
        Assert.IsEmpty(clock.Delays);
        Assert.IsFalse(observer.Results[0].IsRepeated);
        Assert.AreEqual("a", observer.Results[0].DisplayName);
        Assert.IsTrue(File.Exists(Path.Combine(_results, "once", "01-a", "console.log")));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-1)]
    public async Task Repeat_total_zero_or_negative_runs_until_cancelled(int total)
    {
        var spec = SpecBuilder.Named("soak").Tests(new RepeatPolicy(total, 600), SpecBuilder.Test("a", "run-a")).Build();
        await using var device = new RecordingDevice();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var observer = new RecordingObserver();
        observer.OnResult = _ =>
        {
            if (observer.FinishedCount == 7)
            {
                cancel.Cancel();
            }
        };
        var clock = new ManualTimeProvider();

        var outcome = await new SpecRunner(device, Options(clock), observer).RunAsync(spec, cancel.Token);

        Assert.IsTrue(outcome.Cancelled);
        Assert.AreEqual(7, outcome.Passed);
        Assert.HasCount(7, observer.Results);
        Assert.AreEqual(7, observer.Results[^1].Iteration);
        Assert.IsTrue(clock.Delays.All(d => d == TimeSpan.FromSeconds(600)));
        Assert.AreEqual(0, device.LiveWorkDirectories);
    }

    [TestMethod]
    public async Task Each_test_gets_TEST_DIR_ARTIFACTS_DIR_its_env_and_its_timeout()
    {
        var spec = SpecBuilder.Named("env").Tests(
            SpecBuilder.Test("a", "run-a", TimeSpan.FromSeconds(30), new Dictionary<string, string> { ["MODE"] = "quick" }),
            SpecBuilder.Test("b", "run-b")).Build();
        await using var device = new RecordingDevice();
        var options = new RunOptions { ResultsDirectory = _results, DefaultTimeout = TimeSpan.FromMinutes(7) };

        await RunAsync(spec, device, new RecordingObserver(), options);

        var a = device.TestRequests[0];
        Assert.AreEqual("quick", a.Environment["MODE"]);
        Assert.EndsWith("/results", a.Environment["TEST_DIR"]);
        Assert.EndsWith("/artifacts", a.Environment["ARTIFACTS_DIR"]);
        Assert.AreEqual(
            Path.GetDirectoryName(a.Environment["TEST_DIR"]), Path.GetDirectoryName(a.Environment["ARTIFACTS_DIR"]));
        Assert.AreEqual(TimeSpan.FromSeconds(30), a.Timeout);
        Assert.AreEqual(TimeSpan.FromMinutes(7), device.TestRequests[1].Timeout);
        Assert.AreNotEqual(a.Environment["TEST_DIR"], device.TestRequests[1].Environment["TEST_DIR"], "a fresh work dir per test");
    }

    [TestMethod]
    public async Task A_timeout_fails_the_test_with_the_limit_and_the_last_20_lines()
    {
        var output = string.Concat(Enumerable.Range(1, 30).Select(i => $"line {i}\n"));
        var spec = SpecBuilder.Named("slow").Tests(SpecBuilder.Test("hang", "run-hang", TimeSpan.FromSeconds(60))).Build();
        await using var device = new RecordingDevice();
        device.Always("run-hang", new ScriptedRun { TimesOut = true, Stdout = output });
        var observer = new RecordingObserver();

        await RunAsync(spec, device, observer);

        var result = observer.Results.Single();
        Assert.AreEqual(TestOutcome.Failed, result.Outcome);
        Assert.AreEqual("timed out after 60s (process group killed)", result.Message);
        Assert.IsNull(result.ExitCode);
        StringAssert.StartsWith(result.Details, "Last 20 lines of output:\nline 11\n");
        Assert.EndsWith("line 30", result.Details!);
        Assert.DoesNotContain("line 10\n", result.Details!);
    }

    [TestMethod]
    public async Task Combined_output_goes_to_console_log_which_is_the_first_attachment()
    {
        var spec = SpecBuilder.Named("out").Tests(SpecBuilder.Test("a", "run-a")).Build();
        await using var device = new RecordingDevice();
        device.Always("run-a", new ScriptedRun { Stdout = "to stdout\n", Stderr = "to stderr\n" });
        var observer = new RecordingObserver();

        await RunAsync(spec, device, observer);

        var result = observer.Results.Single();
        var console = Path.Combine(_results, "out", "01-a", "console.log");
        Assert.AreEqual(console, result.Attachments[0]);
        Assert.AreEqual("to stdout\nto stderr\n", await File.ReadAllTextAsync(console, TestContext.CancellationToken));
        Assert.AreEqual("to stdout\n", result.Stdout);
        Assert.AreEqual("to stderr\n", result.Stderr);
    }

    [TestMethod]
    public async Task Sub_results_follow_fiotest()
    {
        var spec = SpecBuilder.Named("subs").Tests(SpecBuilder.Test("a", "run-a")).Build();
        await using var device = new RecordingDevice();
        device.Always("run-a", new ScriptedRun
        {
            ResultFiles = new Dictionary<string, string>
            {
                ["10-ten/metrics/speed"] = "12.5\n",
                ["10-ten/metrics/latency"] = " 3 ",
                ["9.5-nine/failed"] = string.Empty,
                ["9.5-nine/log"] = "it broke",
                ["11-both/failed/marker"] = string.Empty, // failed as a directory (Linaro test-runner)
                ["11-both/skipped"] = string.Empty,
                ["12-plain-file"] = "a file entry is a passed sub-result",
                ["notanumber-x/failed"] = string.Empty,
            },
        });
        var observer = new RecordingObserver();

        await RunAsync(spec, device, observer);

        var result = observer.Results.Single();
        Assert.AreEqual(TestOutcome.Passed, result.Outcome, "sub-results do not change the test's own verdict (fiotest)");
        CollectionAssert.AreEqual(new[] { "nine", "ten", "both", "plain-file" }, result.SubResults.Select(s => s.Name).ToArray());
        Assert.AreEqual(TestOutcome.Failed, result.SubResults[0].Outcome);
        Assert.AreEqual("it broke", result.SubResults[0].Details);
        Assert.AreEqual(9.5, result.SubResults[0].LocalTimestamp);
        Assert.AreEqual(TestOutcome.Passed, result.SubResults[1].Outcome);
        Assert.AreEqual(12.5, result.SubResults[1].Metrics["speed"]);
        Assert.AreEqual(3, result.SubResults[1].Metrics["latency"]);
        Assert.AreEqual(TestOutcome.Skipped, result.SubResults[2].Outcome, "skipped wins over failed");
        Assert.AreEqual(TestOutcome.Passed, result.SubResults[3].Outcome);
        Assert.AreEqual(12.5, result.Metrics["ten.speed"]);
        Assert.IsTrue(observer.Messages.Any(m => m.Contains("notanumber-x", StringComparison.Ordinal)));
        CollectionAssert.Contains(result.Properties.ToList(), new KeyValuePair<string, string>("subresults.failed", "1"));
        CollectionAssert.Contains(result.Properties.ToList(), new KeyValuePair<string, string>("subresults.skipped", "1"));
        CollectionAssert.Contains(result.Properties.ToList(), new KeyValuePair<string, string>("subresults.passed", "2"));
    }

    [TestMethod]
    public async Task Artifacts_become_attachments_kept_in_the_results_folder_and_the_work_dir_is_removed()
    {
        var spec = SpecBuilder.Named("art").Tests(new RepeatPolicy(2, 0), SpecBuilder.Test("a", "run-a")).Build();
        await using var device = new RecordingDevice();
        device.Always("run-a", new ScriptedRun
        {
            Artifacts = new Dictionary<string, string> { ["dmesg.txt"] = "kernel", ["logs/app.log"] = "app" },
        });
        var observer = new RecordingObserver();

        await RunAsync(spec, device, observer);

        var folder = Path.Combine(_results, "art", "01-a", "2");
        CollectionAssert.AreEqual(
            new[]
            {
                Path.Combine(folder, "console.log"),
                Path.Combine(folder, "artifacts", "dmesg.txt"),
                Path.Combine(folder, "artifacts", "logs", "app.log"),
            },
            observer.Results[1].Attachments.ToArray());
        Assert.AreEqual("app", await File.ReadAllTextAsync(Path.Combine(folder, "artifacts", "logs", "app.log"), TestContext.CancellationToken));
        Assert.IsTrue(File.Exists(Path.Combine(_results, "art", "01-a", "1", "artifacts", "dmesg.txt")));
        Assert.IsFalse(Directory.Exists(Path.Combine(folder, ".device")));
        Assert.AreEqual(0, device.LiveWorkDirectories);
    }

    [TestMethod]
    public async Task Result_fields_identify_the_test_and_its_source()
    {
        var spec = new Func<TestSpec>(() =>
        {
            var built = SpecBuilder.Named("ident", "specs/ident.spec.yml").Requires("wifi")
                .Tests(SpecBuilder.Test("first", "run-1"))
                .Tests(SpecBuilder.Test("second", "run-2"))
                .Build();
            return built;
        })();
        await using var device = new RecordingDevice("board", "wifi", "arm64");
        device.Always("run-2", new ScriptedRun { ExitCode = 4 });
        var observer = new RecordingObserver();

        await RunAsync(spec, device, observer);

        var second = observer.Results[1];
        var test = spec.AllTests.Last();
        Assert.AreEqual("ident/1/second", second.TestId);
        Assert.AreEqual("ident", second.SuiteName);
        Assert.AreEqual("second", second.Name);
        Assert.AreEqual(1, second.Iteration);
        Assert.IsFalse(second.IsRepeated);
        Assert.AreEqual("specs/ident.spec.yml", second.SourceFile);
        Assert.AreEqual(test.Position.Line, second.SourceLine);
        CollectionAssert.AreEqual(
            new[]
            {
                new KeyValuePair<string, string>("spec", "ident"),
                new KeyValuePair<string, string>("step", "2"),
                new KeyValuePair<string, string>("device", "board"),
                new KeyValuePair<string, string>("tags", "wifi"),
            },
            second.Properties.ToArray());
        Assert.AreEqual(4, second.ExitCode, "the exit code travels as its own field; writers show it once (JUnit property exitcode)");
        Assert.IsTrue(Directory.Exists(Path.Combine(_results, "ident", "02-second")));
    }

    [TestMethod]
    public async Task A_device_without_the_required_tags_skips_the_tests()
    {
        var spec = SpecBuilder.Named("wifi").Requires("wifi").Tests(SpecBuilder.Test("scan", "iw scan")).Reboot().Build();
        await using var device = new RecordingDevice("local");
        var observer = new RecordingObserver();

        var outcome = await RunAsync(spec, device, observer);

        Assert.IsEmpty(device.Events);
        Assert.AreEqual(1, outcome.Skipped);
        Assert.AreEqual(TestOutcome.Skipped, observer.Results[0].Outcome);
        StringAssert.Contains(observer.Results[0].Message, "wifi");
    }

    [TestMethod]
    public async Task Reboot_steps_run_in_order_with_their_timeout_and_are_reported()
    {
        var spec = SpecBuilder.Named("rb").Tests(SpecBuilder.Test("before", "b")).Reboot("/sbin/reboot", TimeSpan.FromMinutes(2))
            .Tests(SpecBuilder.Test("after", "a")).Reboot("/bin/true").Build();
        await using var device = new RecordingDevice();
        var observer = new RecordingObserver();

        await RunAsync(spec, device, observer, new RunOptions { ResultsDirectory = _results, DefaultRebootTimeout = TimeSpan.FromMinutes(9) });

        CollectionAssert.AreEqual(new[] { "run b", "reboot /sbin/reboot", "run a", "reboot /bin/true" }, device.Events);
        CollectionAssert.AreEqual(new[] { TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(9) }, device.RebootTimeouts);
        CollectionAssert.AreEqual(
            new[]
            {
                "start before", "finish before Passed", "reboot-start /sbin/reboot", "reboot-finish /sbin/reboot",
                "start after", "finish after Passed", "reboot-start /bin/true", "reboot-finish /bin/true",
            },
            observer.Events);
    }

    [TestMethod]
    public async Task A_skipped_reboot_is_mentioned_and_the_run_goes_on()
    {
        var spec = SpecBuilder.Named("rb").Reboot().Tests(SpecBuilder.Test("after", "a")).Build();
        await using var device = new RecordingDevice("local")
        {
            RebootBehaviour = _ => new RebootOutcome { Rebooted = false, Skipped = true, Details = "not here", Duration = TimeSpan.Zero },
        };
        var observer = new RecordingObserver();

        var outcome = await RunAsync(spec, device, observer);

        Assert.AreEqual(1, outcome.Passed);
        Assert.IsTrue(observer.Messages.Any(m => m.Contains("not here", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task A_failed_reboot_fails_every_later_test_once_without_running_it()
    {
        var spec = SpecBuilder.Named("rb", "specs/rb.spec.yml")
            .Tests(SpecBuilder.Test("before", "b"))
            .Reboot()
            .Tests(new RepeatPolicy(-1, 10), SpecBuilder.Test("after", "a"))
            .Reboot("/bin/true")
            .Tests(SpecBuilder.Test("last", "l"))
            .Build();
        var rebootPosition = spec.Sequence[1].Position;
        await using var device = new RecordingDevice
        {
            RebootBehaviour = _ => throw new TimeoutException("no shell prompt within 5m"),
        };
        var observer = new RecordingObserver();

        var outcome = await RunAsync(spec, device, observer);

        CollectionAssert.AreEqual(new[] { "run b", "reboot /sbin/reboot" }, device.Events);
        Assert.AreEqual(1, outcome.Passed);
        Assert.AreEqual(2, outcome.Failed);
        var expected = $"device did not come back after reboot at specs/rb.spec.yml:{rebootPosition.Line}: no shell prompt within 5m";
        Assert.AreEqual(expected, observer.Results[1].Message);
        Assert.AreEqual("after #1", observer.Results[1].DisplayName);
        Assert.AreEqual(expected, observer.Results[2].Message);
        Assert.AreEqual(StepStatus.Failed, observer.StepOutcomes[0].Status);
    }

    [TestMethod]
    public async Task A_filter_keeps_the_reboots_between_selected_tests()
    {
        var spec = SpecBuilder.Named("f").Tests(SpecBuilder.Test("a", "a")).Reboot("reboot-1").Tests(SpecBuilder.Test("b", "b"))
            .Reboot("reboot-2").Tests(SpecBuilder.Test("c", "c")).Reboot("reboot-3").Build();

        async Task<List<string>> RunWith(params string[] names)
        {
            await using var device = new RecordingDevice();
            await RunAsync(spec, device, new RecordingObserver(), Options(filter: t => names.Contains(t.Name)));
            return device.Events;
        }

        CollectionAssert.AreEqual(new[] { "reboot reboot-1", "run b" }, await RunWith("b"));
        CollectionAssert.AreEqual(new[] { "run a", "reboot reboot-1", "reboot reboot-2", "run c", "reboot reboot-3" }, await RunWith("a", "c"));
        CollectionAssert.AreEqual(new[] { "run a" }, await RunWith("a"));
        CollectionAssert.AreEqual(new[] { "reboot reboot-1", "reboot reboot-2", "run c", "reboot reboot-3" }, await RunWith("c"));
        CollectionAssert.AreEqual(Array.Empty<string>(), await RunWith());
    }

    [TestMethod]
    public async Task A_filtered_out_forever_step_does_not_spin()
    {
        var spec = SpecBuilder.Named("f").Tests(new RepeatPolicy(-1, 0), SpecBuilder.Test("soak", "s")).Tests(SpecBuilder.Test("once", "o")).Build();
        await using var device = new RecordingDevice();

        var outcome = await RunAsync(spec, device, new RecordingObserver(), Options(filter: t => t.Name == "once"))
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "run o" }, device.Events);
        Assert.AreEqual(1, outcome.Passed);
    }
}
