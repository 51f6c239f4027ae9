using DeviceTest.Framework.Results;
using TestResult = DeviceTest.Framework.Results.TestResult;
using DeviceTest.Framework.Suites;
using DeviceTest.Framework.Tests.Suites.Samples;

namespace DeviceTest.Framework.Tests.Suites;

[TestClass]
public sealed class SuiteRunnerTests
{
    private const string SampleNamespace = "DeviceTest.Framework.Tests.Suites.Samples";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Runs_tests_in_declaration_order_and_reports_each_as_it_finishes()
    {
        var journal = new Journal();
        var device = new RecordingDevice();
        device.Answers["ip -4 addr show eth0"] = "    inet 10.0.0.2/24 scope global eth0\n";
        var journalAtFinish = new List<int>();
        var observer = new RecordingObserver { OnFinished = _ => journalAtFinish.Add(journal.Entries.Count) };

        var results = await Runner(journal).RunAsync(Suite<OrderedSuite>(), device, observer, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "Zeta_runs_first", "Alpha_runs_second", "Middle_runs_third", "Expression_bodied" }, journal.Entries.ToArray());
        CollectionAssert.AreEqual(
            new[] { "start Zeta_runs_first", "end Zeta_runs_first", "start Alpha_runs_second", "end Alpha_runs_second", "start Middle_runs_third", "end Middle_runs_third", "start Expression_bodied", "end Expression_bodied" },
            observer.Events.ToArray());
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4 }, journalAtFinish, "each result arrives before the next test runs");
        CollectionAssert.AreEqual(observer.Results.ToArray(), results.ToArray());
        Assert.IsTrue(results.All(r => r.Outcome == TestOutcome.Passed), string.Join("; ", results.Select(r => r.Message)));

        var zeta = results[0];
        Assert.AreEqual($"{SampleNamespace}.OrderedSuite.Zeta_runs_first", zeta.TestId);
        Assert.AreEqual($"{SampleNamespace}.OrderedSuite", zeta.SuiteName);
        Assert.AreEqual("Zeta_runs_first", zeta.Name);
        Assert.AreEqual("alpha runs second", results[1].Name);
        Assert.AreEqual("SampleSuites.cs", Path.GetFileName(zeta.SourceFile));
        Assert.AreEqual(SampleLines.BodyLine("Zeta_runs_first"), zeta.SourceLine);
        CollectionAssert.Contains(zeta.Properties.ToList(), new KeyValuePair<string, string>("suite", "ordered"));
        CollectionAssert.Contains(zeta.Properties.ToList(), new KeyValuePair<string, string>("device", "bench"));
        CollectionAssert.Contains(zeta.Properties.ToList(), new KeyValuePair<string, string>("timeout", "30s"));

        // The command the test ran, its output and what the test wrote to its TextWriter.
        CollectionAssert.AreEqual(new[] { "ip -4 addr show eth0" }, device.Commands.ToArray());
        Assert.Contains("$ ip -4 addr show eth0", zeta.Stdout);
        Assert.Contains("inet 10.0.0.2/24", zeta.Stdout);
        Assert.Contains("zeta saw: inet 10.0.0.2/24", zeta.Stdout);
        Assert.DoesNotContain("zeta saw", results[1].Stdout);
        Assert.IsFalse(device.Disposed, "the suite does not own the device");
    }

    [TestMethod]
    public async Task Runs_only_the_selected_tests_in_declaration_order()
    {
        var journal = new Journal();
        var suite = Suite<OrderedSuite>();
        var selected = new[] { suite.Tests[2], suite.Tests[0] };

        var results = await Runner(journal).RunAsync(selected, new RecordingDevice(), null, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "Zeta_runs_first", "Middle_runs_third" }, journal.Entries.ToArray());
        CollectionAssert.AreEqual(new[] { suite.Tests[0].Id, suite.Tests[2].Id }, results.Select(r => r.TestId).ToArray());
    }

    [TestMethod]
    public async Task Fails_tests_that_time_out_and_moves_on_from_one_that_ignores_its_token()
    {
        var journal = new Journal();
        try
        {
            var results = await Runner(journal).RunAsync(Suite<TimeoutSuite>(), new RecordingDevice(), null, TestContext.CancellationToken);

            var honors = Result(results, "Honors_its_token");
            Assert.AreEqual(TestOutcome.Failed, honors.Outcome);
            Assert.AreEqual("timed out after 1s", honors.Message);

            var ignores = Result(results, "Ignores_its_token");
            Assert.AreEqual(TestOutcome.Failed, ignores.Outcome);
            Assert.StartsWith("timed out after 1s", ignores.Message ?? string.Empty);
            Assert.Contains("left running", ignores.Message ?? string.Empty);
            Assert.Contains("CancellationToken", ignores.Details ?? string.Empty);

            Assert.AreEqual(TestOutcome.Passed, Result(results, "Runs_after_the_timeouts").Outcome);
            CollectionAssert.AreEqual(new[] { "after" }, journal.Entries.ToArray());
        }
        finally
        {
            journal.Gate.TrySetResult();
        }
    }

    [TestMethod]
    public async Task Fails_a_test_that_returns_normally_after_its_timeout()
    {
        var journal = new Journal();

        var results = await Runner(journal).RunAsync(Suite<LateFinisherSuite>(), new RecordingDevice(), null, TestContext.CancellationToken);

        var result = results.Single();
        Assert.AreEqual(TestOutcome.Failed, result.Outcome);
        Assert.AreEqual("timed out after 1s", result.Message);
        CollectionAssert.AreEqual(new[] { "swallowed" }, journal.Entries.ToArray());
    }

    [TestMethod]
    public async Task Skips_by_attribute_by_exception_and_by_missing_tags()
    {
        var journal = new Journal();

        var results = await Runner(journal).RunAsync(Suite<SkippingSuite>(), new RecordingDevice("bench", "arm64", "eth"), null, TestContext.CancellationToken);

        Assert.AreEqual(TestOutcome.Skipped, Result(results, "Skipped_by_attribute").Outcome);
        Assert.AreEqual("not today", Result(results, "Skipped_by_attribute").Message);
        Assert.AreEqual(TestOutcome.Skipped, Result(results, "Skips_itself").Outcome);
        Assert.AreEqual("no modem on this board", Result(results, "Skips_itself").Message);
        var wifi = Result(results, "Needs_wifi");
        Assert.AreEqual(TestOutcome.Skipped, wifi.Outcome);
        Assert.AreEqual("requires tags: wifi, bt (device 'bench' has: arm64, eth)", wifi.Message);
        CollectionAssert.Contains(wifi.Properties.ToList(), new KeyValuePair<string, string>("tags", "arm64,wifi,bt"));
        Assert.AreEqual(TestOutcome.Passed, Result(results, "Needs_only_the_class_tags").Outcome);
        CollectionAssert.AreEqual(new[] { "plain" }, journal.Entries.ToArray());
    }

    [TestMethod]
    public async Task Skips_a_whole_suite_whose_class_tags_the_device_lacks_without_creating_it()
    {
        var journal = new Journal();

        var results = await Runner(journal).RunAsync(Suite<SkippingSuite>(), new RecordingDevice("bare"), null, TestContext.CancellationToken);

        Assert.IsTrue(results.All(r => r.Outcome == TestOutcome.Skipped));
        Assert.AreEqual("requires tags: arm64 (device 'bare' has no tags)", Result(results, "Needs_only_the_class_tags").Message);
        Assert.IsEmpty(journal.Entries);
    }

    [TestMethod]
    public async Task Fails_on_any_exception_with_its_message_and_stack_then_tears_down_and_disposes()
    {
        var journal = new Journal();

        var results = await Runner(journal).RunAsync(Suite<FailingSuite>(), new RecordingDevice(), null, TestContext.CancellationToken);

        var throws = Result(results, "Throws");
        Assert.AreEqual(TestOutcome.Failed, throws.Outcome);
        Assert.AreEqual("no IPv4 address on eth0", throws.Message);
        Assert.Contains("InvalidOperationException", throws.Details ?? string.Empty);
        Assert.Contains("CheckAddress", throws.Details ?? string.Empty);
        Assert.DoesNotContain("TargetInvocationException", throws.Details ?? string.Empty);

        var asserts = Result(results, "Asserts");
        Assert.AreEqual(TestOutcome.Failed, asserts.Outcome);
        Assert.Contains("two and two", asserts.Message ?? string.Empty);

        Assert.AreEqual(TestOutcome.Passed, Result(results, "Passes").Outcome);
        Assert.HasCount(3, results, "a passing teardown adds no result");
        CollectionAssert.AreEqual(new[] { "passes", "teardown", "disposed" }, journal.Entries.ToArray());
    }

    [TestMethod]
    public async Task Reports_a_failing_teardown_as_its_own_failed_result()
    {
        var journal = new Journal();

        var results = await Runner(journal).RunAsync(Suite<BrokenTeardownSuite>(), new RecordingDevice(), null, TestContext.CancellationToken);

        Assert.HasCount(2, results);
        Assert.AreEqual(TestOutcome.Passed, results[0].Outcome);
        var teardown = results[1];
        Assert.AreEqual($"{SampleNamespace}.BrokenTeardownSuite.Restore", teardown.TestId);
        Assert.AreEqual(TestOutcome.Failed, teardown.Outcome);
        Assert.AreEqual("teardown Restore failed: could not restore /etc/network/interfaces", teardown.Message);
        Assert.AreEqual(SampleLines.BodyLine("Restore"), teardown.SourceLine);
        CollectionAssert.Contains(teardown.Properties.ToList(), new KeyValuePair<string, string>("kind", "teardown"));
        CollectionAssert.AreEqual(new[] { "setup", "works", "disposed" }, journal.Entries.ToArray());
    }

    [TestMethod]
    public async Task Fails_every_test_when_setup_fails_and_still_tears_down()
    {
        var journal = new Journal();

        var results = await Runner(journal).RunAsync(Suite<FailingSetupSuite>(), new RecordingDevice(), null, TestContext.CancellationToken);

        Assert.HasCount(2, results);
        foreach (var result in results)
        {
            Assert.AreEqual(TestOutcome.Failed, result.Outcome);
            Assert.AreEqual("setup Connect failed: modem did not answer", result.Message);
            Assert.Contains("TimeoutException", result.Details ?? string.Empty);
        }

        CollectionAssert.AreEqual(new[] { "teardown" }, journal.Entries.ToArray());
    }

    [TestMethod]
    public async Task Injects_device_parts_and_services_into_the_constructor()
    {
        var journal = new Journal();

        await Runner(journal).RunAsync(Suite<OptionalPowerSuite>(), new RecordingDevice(), null, TestContext.CancellationToken);
        await Runner(journal).RunAsync(Suite<OptionalPowerSuite>(), new RecordingDevice { Power = new FakePower() }, null, TestContext.CancellationToken);

        CollectionAssert.AreEqual(new[] { "no power + files", "fake relay + files" }, journal.Entries.ToArray());
    }

    [TestMethod]
    public async Task Skips_a_suite_that_needs_a_console_the_device_lacks()
    {
        var results = await Runner(new Journal()).RunAsync(Suite<ConsoleSuite>(), new RecordingDevice("net-only"), null, TestContext.CancellationToken);

        var result = results.Single();
        Assert.AreEqual(TestOutcome.Skipped, result.Outcome);
        Assert.Contains("needs a console", result.Message ?? string.Empty);
        Assert.Contains("'net-only' has none", result.Message ?? string.Empty);
    }

    [TestMethod]
    public async Task Fails_every_test_of_a_suite_whose_constructor_cannot_be_satisfied()
    {
        var results = await Runner(new Journal()).RunAsync(Suite<UnsatisfiableSuite>(), new RecordingDevice(), null, TestContext.CancellationToken);

        Assert.HasCount(2, results);
        foreach (var result in results)
        {
            Assert.AreEqual(TestOutcome.Failed, result.Outcome);
            Assert.Contains("UnsatisfiableSuite", result.Message ?? string.Empty);
            Assert.Contains("'endpoint' of type Uri cannot be supplied", result.Message ?? string.Empty);
            Assert.Contains("IDevice", result.Message ?? string.Empty);
        }
    }

    [TestMethod]
    public async Task Fails_the_tests_of_a_suite_whose_constructor_throws()
    {
        var results = await Runner(new Journal()).RunAsync(Suite<ThrowingConstructorSuite>(), new RecordingDevice(), null, TestContext.CancellationToken);

        var result = results.Single();
        Assert.AreEqual(TestOutcome.Failed, result.Outcome);
        Assert.AreEqual($"constructor of {SampleNamespace}.ThrowingConstructorSuite failed: bench is not configured", result.Message);
    }

    [TestMethod]
    public async Task Fails_invalid_tests_with_their_problem_and_runs_the_valid_ones()
    {
        var results = await Runner(new Journal()).RunAsync(Suite<InvalidSuite>(), new RecordingDevice(), null, TestContext.CancellationToken);

        Assert.AreEqual(TestOutcome.Passed, Result(results, "Valid").Outcome);
        var takes = Result(results, "Takes_a_number");
        Assert.AreEqual(TestOutcome.Failed, takes.Outcome);
        Assert.Contains("one CancellationToken", takes.Message ?? string.Empty);
        Assert.AreEqual(6, results.Count(r => r.Outcome == TestOutcome.Failed));
    }

    [TestMethod]
    public async Task A_cancelled_run_reports_the_running_test_stops_and_still_tears_down()
    {
        var journal = new Journal();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var observer = new RecordingObserver { OnStarted = _ => cancel.Cancel() };

        var results = await Runner(journal).RunAsync(Suite<FailingSuite>(), new RecordingDevice(), observer, cancel.Token);

        // The running test does not watch its token and ends on its own; nothing after it runs.
        Assert.AreEqual("Throws", results.Single().Name);
        CollectionAssert.AreEqual(new[] { "teardown", "disposed" }, journal.Entries.ToArray());
    }

    [TestMethod]
    public async Task A_cancelled_run_fails_the_test_that_was_cancelled()
    {
        var journal = new Journal();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        var observer = new RecordingObserver { OnStarted = _ => cancel.Cancel() };

        var results = await Runner(journal).RunAsync(Suite<TimeoutSuite>(), new RecordingDevice(), observer, cancel.Token);

        var result = results.Single();
        Assert.AreEqual("Honors_its_token", result.Name);
        Assert.AreEqual(TestOutcome.Failed, result.Outcome);
        Assert.AreEqual("cancelled: the run was stopped", result.Message);
    }

    // 3 s, not 500 ms: under CI load a test that honours its token did not get to stop within 500 ms once. Only a test
    // that ignores its token waits the whole grace period.
    private static SuiteRunner Runner(Journal journal) =>
        new(new SuiteRunOptions { Services = journal, CancelGracePeriod = TimeSpan.FromSeconds(3) });

    private static SuiteDescriptor Suite<T>() => SuiteDiscoverer.Discover(typeof(T)).Suites.Single();

    private static TestResult Result(IReadOnlyList<TestResult> results, string method) =>
        results.Single(r => r.TestId.EndsWith("." + method, StringComparison.Ordinal));
}
