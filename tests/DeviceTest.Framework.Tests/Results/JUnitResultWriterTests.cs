using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;
using DeviceTest.Framework.Results;
using DeviceTest.Lab;
using static DeviceTest.Framework.Tests.Results.ResultFixture;

namespace DeviceTest.Framework.Tests.Results;

[TestClass]
public sealed class JUnitResultWriterTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    [TestMethod]
    public async Task Writes_one_suite_per_spec_with_counts_names_outcomes_and_details()
    {
        using var fixture = new ResultFixture();
        var log = fixture.File("artifacts/console.log", "boot ok");
        var target = fixture.PathOf("junit.xml");
        await using (var writer = new JUnitResultWriter(target))
        {
            // Results of two specs arrive interleaved, as they do with several devices.
            await writer.AddAsync(Result("smoke", "kernel", stdout: "Linux 6.1\n", sourceFile: "/specs/smoke.spec.yml", sourceLine: 7,
                properties: [new("spec", "smoke.spec.yml"), new("step", "0")]), Ct);
            await writer.AddAsync(Result("network checks", "ping", TestOutcome.Failed, message: "ping: unreachable", details: "last lines:\n100% packet loss",
                exitCode: 1, stderr: "ping: connect: Network is unreachable", attachments: [log], seconds: 0.25), Ct);
            await writer.AddAsync(Result("smoke", "wifi", TestOutcome.Skipped, message: "requires tag wifi", seconds: 0,
                properties: [new("spec", "smoke.spec.yml"), new("step", "1")]), Ct);
            await writer.AddAsync(Result("network checks", "dns", seconds: 2), Ct);
            await writer.CompleteAsync(Summary(2, 1, 1), Ct);
        }

        var root = XDocument.Load(target).Root!;
        Assert.AreEqual("testsuites", root.Name.LocalName);
        Assert.AreEqual("nightly", (string?)root.Attribute("name"));
        Assert.AreEqual("4", (string?)root.Attribute("tests"));
        Assert.AreEqual("1", (string?)root.Attribute("failures"));
        Assert.AreEqual("0", (string?)root.Attribute("errors"));
        Assert.AreEqual("1", (string?)root.Attribute("skipped"));
        Assert.AreEqual("42.25", (string?)root.Attribute("time"));
        Assert.AreEqual(RunStart, DateTimeOffset.Parse((string)root.Attribute("timestamp")!, CultureInfo.InvariantCulture));

        var suites = root.Elements("testsuite").ToList();
        CollectionAssert.AreEqual(new[] { "smoke", "network checks" }, suites.Select(s => (string?)s.Attribute("name")).ToArray());
        var smoke = suites[0];
        Assert.AreEqual("2", (string?)smoke.Attribute("tests"));
        Assert.AreEqual("0", (string?)smoke.Attribute("failures"));
        Assert.AreEqual("1", (string?)smoke.Attribute("skipped"));
        Assert.AreEqual("0", (string?)smoke.Attribute("errors"));
        Assert.AreEqual("1.5", (string?)smoke.Attribute("time"));
        Assert.AreEqual(Environment.MachineName, (string?)smoke.Attribute("hostname"));
        Assert.IsNotNull(smoke.Attribute("timestamp"));
        // Properties every result of the suite shares, plus the device.
        CollectionAssert.AreEqual(
            new[] { "spec=smoke.spec.yml", "device=qemu-x86" },
            Properties(smoke).ToArray());

        var kernel = smoke.Elements("testcase").First();
        Assert.AreEqual("smoke", (string?)kernel.Attribute("classname"));
        Assert.AreEqual("kernel", (string?)kernel.Attribute("name"));
        Assert.AreEqual("1.5", (string?)kernel.Attribute("time"));
        Assert.AreEqual("/specs/smoke.spec.yml", (string?)kernel.Attribute("file"));
        Assert.AreEqual("7", (string?)kernel.Attribute("line"));
        Assert.AreEqual("Linux 6.1\n", (string?)kernel.Element("system-out"));
        Assert.IsNull(kernel.Element("failure"));
        Assert.IsNull(kernel.Element("skipped"));

        var wifi = smoke.Elements("testcase").Last();
        Assert.AreEqual("requires tag wifi", (string?)wifi.Element("skipped")!.Attribute("message"));
        Assert.AreEqual("0.0000001", (string?)wifi.Attribute("time"), "a zero time is written as the smallest tick (GitLab reads 0 as missing)");

        var network = suites[1];
        Assert.AreEqual("1", (string?)network.Attribute("failures"));
        var ping = network.Elements("testcase").First();
        Assert.AreEqual("network_checks", (string?)ping.Attribute("classname"), "classnames are dot-safe");
        Assert.AreEqual("0.25", (string?)ping.Attribute("time"));
        var failure = ping.Element("failure")!;
        Assert.AreEqual("ping: unreachable", (string?)failure.Attribute("message"));
        Assert.AreEqual("failure", (string?)failure.Attribute("type"));
        StringAssert.Contains(failure.Value, "100% packet loss");
        StringAssert.Contains(failure.Value, "Exit code: 1");
        Assert.AreEqual("ping: connect: Network is unreachable", (string?)ping.Element("system-err"));
        StringAssert.Contains(ping.Element("system-out")!.Value, $"[[ATTACHMENT|{log}]]");
        CollectionAssert.Contains(Properties(ping).ToList(), "exitcode=1");
    }

    [TestMethod]
    public async Task Sub_results_and_metrics_become_properties_and_a_readable_block()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("junit.xml");
        await using (var writer = new JUnitResultWriter(target))
        {
            await writer.AddAsync(Result(
                "fio", "disk", TestOutcome.Failed, stdout: "running fio\n",
                metrics: new Dictionary<string, double> { ["boot_time"] = 3.25 },
                subResults:
                [
                    new SubResult { Name = "read", Outcome = TestOutcome.Passed, LocalTimestamp = 1741940813, Metrics = new Dictionary<string, double> { ["iops"] = 1234.5 } },
                    new SubResult { Name = "write", Outcome = TestOutcome.Failed, LocalTimestamp = 1741940814, Details = "write stalled\nat 40%" },
                    new SubResult { Name = "trim", Outcome = TestOutcome.Skipped, LocalTimestamp = 1741940815 },
                ]), Ct);
            await writer.CompleteAsync(Summary(0, 1, 0), Ct);
        }

        var testcase = XDocument.Load(target).Descendants("testcase").First();
        CollectionAssert.AreEqual(
            new[] { "subresult:read=PASSED", "subresult:write=FAILED", "subresult:trim=SKIPPED", "metric:boot_time=3.25", "metric:read/iops=1234.5" },
            Properties(testcase).ToArray());
        var output = testcase.Element("system-out")!.Value;
        Assert.IsTrue(output.StartsWith("running fio\nSub-results (3):\n", StringComparison.Ordinal), output);
        StringAssert.Contains(output, "PASSED  read");
        StringAssert.Contains(output, "metric iops = 1234.5");
        StringAssert.Contains(output, "FAILED  write");
        StringAssert.Contains(output, "| write stalled");
        StringAssert.Contains(output, "| at 40%");
        StringAssert.Contains(output, "SKIPPED trim");
    }

    [TestMethod]
    public async Task Each_sub_result_is_also_a_testcase_after_its_test_unless_kept_as_properties()
    {
        using var fixture = new ResultFixture();
        var subResults = new[]
        {
            new SubResult { Name = "read", Outcome = TestOutcome.Passed, LocalTimestamp = 1741940813, Metrics = new Dictionary<string, double> { ["iops"] = 1234.5 } },
            new SubResult { Name = "write", Outcome = TestOutcome.Failed, LocalTimestamp = 1741940814, Details = "write stalled" },
            new SubResult { Name = "trim", Outcome = TestOutcome.Skipped, LocalTimestamp = 1741940815 },
        };
        var asCases = fixture.PathOf("cases.xml");
        var asProperties = fixture.PathOf("properties.xml");
        foreach (var (path, style) in new[] { (asCases, JUnitSubResults.TestCases), (asProperties, JUnitSubResults.Properties) })
        {
            await using var writer = new JUnitResultWriter(path, style);
            await writer.AddAsync(Result("fio", "disk-io", sourceFile: "/specs/fio.spec.yml", sourceLine: 4, subResults: subResults), Ct);
            await writer.AddAsync(Result("fio", "after"), Ct);
            await writer.CompleteAsync(Summary(2, 0, 0), Ct);
        }

        var suite = XDocument.Load(asCases).Descendants("testsuite").Single();
        var cases = suite.Elements("testcase").ToList();
        CollectionAssert.AreEqual(
            new[] { "disk-io", "disk-io/read", "disk-io/write", "disk-io/trim", "after" },
            cases.Select(c => (string?)c.Attribute("name")).ToArray());
        Assert.AreEqual("5", (string?)suite.Attribute("tests"));
        Assert.AreEqual("1", (string?)suite.Attribute("failures"));
        Assert.AreEqual("1", (string?)suite.Attribute("skipped"));
        Assert.IsTrue(cases.All(c => (string?)c.Attribute("classname") == "fio"));
        Assert.AreEqual("4", (string?)cases[2].Attribute("line"), "a sub-result points at its test's line");
        CollectionAssert.Contains(Properties(cases[0]).ToList(), "subresult:write=FAILED", "the test keeps its properties");
        CollectionAssert.AreEqual(new[] { "metric:iops=1234.5" }, Properties(cases[1]).ToArray());
        Assert.AreEqual("sub-result 'write' of 'disk-io' failed", (string?)cases[2].Element("failure")!.Attribute("message"));
        Assert.AreEqual("write stalled", cases[2].Element("failure")!.Value);
        Assert.IsNotNull(cases[3].Element("skipped"));

        var kept = XDocument.Load(asProperties).Descendants("testsuite").Single();
        CollectionAssert.AreEqual(new[] { "disk-io", "after" }, kept.Elements("testcase").Select(c => (string?)c.Attribute("name")).ToArray());
        Assert.AreEqual("2", (string?)kept.Attribute("tests"));
    }

    [TestMethod]
    public async Task Repeated_tests_are_named_with_their_iteration()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("junit.xml");
        await using (var writer = new JUnitResultWriter(target))
        {
            for (var i = 1; i <= 3; i++)
            {
                await writer.AddAsync(Result("soak", "reboot", iteration: i, repeated: true), Ct);
            }

            await writer.CompleteAsync(Summary(3, 0, 0), Ct);
        }

        var testcases = XDocument.Load(target).Descendants("testcase").ToList();
        CollectionAssert.AreEqual(
            new[] { "reboot #1", "reboot #2", "reboot #3" },
            testcases.Select(t => (string?)t.Attribute("name")).ToArray());
        CollectionAssert.Contains(Properties(testcases[1]).ToList(), "iteration=2");
    }

    [TestMethod]
    public async Task Control_characters_and_terminal_colours_in_device_output_still_give_a_parseable_file()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("junit.xml");
        const string Nasty = "ok\0nul \u0007bell \u001b[31mred\u001b[0m \u0001\u001f \ud800lone \uFFFE end \U0001F600 \r\n";
        await using (var writer = new JUnitResultWriter(target))
        {
            await writer.AddAsync(Result("dev\u0003ice", "na\u0000me", TestOutcome.Failed, message: "bad \u0008 message\nline 2",
                details: Nasty, stdout: Nasty, stderr: Nasty,
                properties: [new("k\u0002", "v\u0004")],
                subResults: [new SubResult { Name = "s\u0005", Outcome = TestOutcome.Failed, LocalTimestamp = 1, Details = Nasty }]), Ct);
            await writer.CompleteAsync(Summary(0, 1, 0), Ct);
        }

        var testcase = XDocument.Load(target).Descendants("testcase").First();
        var output = testcase.Element("system-out")!.Value;
        StringAssert.Contains(output, "ok\\u0000nul \\u0007bell red \\u0001\\u001f \\ud800lone \\ufffe end \U0001F600");
        Assert.IsFalse(output.Contains('\u001b', StringComparison.Ordinal), "terminal colour codes are removed");
        Assert.AreEqual("bad \\u0008 message\nline 2", (string?)testcase.Element("failure")!.Attribute("message"), "newlines in attributes survive");
        Assert.AreEqual("na\\u0000me", (string?)testcase.Attribute("name"));
        Assert.AreEqual("dev_u0003ice", (string?)testcase.Attribute("classname"), "classnames keep only name characters");
    }

    [TestMethod]
    public async Task A_cancelled_run_still_writes_a_valid_file_with_the_results_so_far()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("junit.xml");
        await using (var writer = new JUnitResultWriter(target))
        {
            await writer.AddAsync(Result("smoke", "kernel"), Ct);
            await writer.AddAsync(Result("smoke", "long", TestOutcome.Failed, message: "cancelled"), Ct);
            // The run's own token is cancelled by then; the results so far are still written.
            await writer.CompleteAsync(Summary(1, 1, 0, cancelled: true), new CancellationToken(canceled: true));
        }

        var root = XDocument.Load(target).Root!;
        Assert.AreEqual("2", (string?)root.Attribute("tests"));
        CollectionAssert.Contains(Properties(root.Element("testsuite")!).ToList(), "cancelled=true");
        CollectionAssert.AreEqual(new[] { "junit.xml" }, fixture.Listing(), "no temporary files are left");
    }

    [TestMethod]
    public async Task The_target_is_untouched_until_completion_and_a_writer_disposed_early_leaves_nothing()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("junit.xml");
        await File.WriteAllTextAsync(target, "previous run", Ct);
        await using (var writer = new JUnitResultWriter(target))
        {
            await writer.AddAsync(Result("smoke", "kernel"), Ct);
            Assert.AreEqual("previous run", await File.ReadAllTextAsync(target, Ct));
            Assert.IsTrue(fixture.Listing().Any(p => p.StartsWith("junit.xml.partial-", StringComparison.Ordinal)), "results are spooled next to the target");
        }

        CollectionAssert.AreEqual(new[] { "junit.xml" }, fixture.Listing());
        Assert.AreEqual("previous run", await File.ReadAllTextAsync(target, Ct));
    }

    [TestMethod]
    public async Task An_empty_run_is_a_valid_file_and_adding_after_completion_is_refused()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("out/junit.xml");
        await using var writer = new JUnitResultWriter(target);
        await writer.CompleteAsync(Summary(0, 0, 0), Ct);

        var root = XDocument.Load(target).Root!;
        Assert.AreEqual("0", (string?)root.Attribute("tests"));
        Assert.IsFalse(root.Elements().Any());
        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => writer.AddAsync(Result("smoke", "late"), Ct));
        StringAssert.Contains(error.Message, "already complete");
    }

    [TestMethod]
    public async Task Results_added_from_several_devices_at_once_are_all_written()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("junit.xml");
        await using (var writer = new JUnitResultWriter(target))
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(device => Task.Run(async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    await writer.AddAsync(Result($"spec{device}", $"t{i}", i % 5 == 0 ? TestOutcome.Failed : TestOutcome.Passed), Ct);
                }
            }, Ct)));
            await writer.CompleteAsync(Summary(160, 40, 0), Ct);
        }

        var root = XDocument.Load(target).Root!;
        Assert.AreEqual("200", (string?)root.Attribute("tests"));
        Assert.AreEqual("40", (string?)root.Attribute("failures"));
        Assert.AreEqual(4, root.Elements("testsuite").Count());
        Assert.IsTrue(root.Elements("testsuite").All(s => s.Elements("testcase").Count() == 50 && (string?)s.Attribute("tests") == "50"));
    }

    [TestMethod]
    public async Task A_second_parser_reads_the_file()
    {
        const string Python = "/usr/bin/python3";
        LabRequirement.Files("python3 (a second JUnit parser; the XDocument checks above still cover the format)", Python);

        using var fixture = new ResultFixture();
        var target = fixture.PathOf("junit.xml");
        await using (var writer = new JUnitResultWriter(target))
        {
            await writer.AddAsync(Result("smoke", "kernel", stdout: "a\u0000b\u001b[1m"), Ct);
            await writer.AddAsync(Result("smoke", "wifi", TestOutcome.Failed, message: "no \u0007 scan"), Ct);
            await writer.CompleteAsync(Summary(1, 1, 0), Ct);
        }

        var script = fixture.File("read.py", """
            import sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            cases = root.findall('./testsuite/testcase')
            print(root.get('tests'), len(cases), cases[1].find('failure').get('message'))
            """);
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(target);
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.AreEqual(0, process.ExitCode, stderr);
        Assert.AreEqual("2 2 no \\u0007 scan", stdout.Trim());
    }

    private static IEnumerable<string> Properties(XElement element) =>
        element.Elements("properties").Elements("property").Select(p => $"{(string?)p.Attribute("name")}={(string?)p.Attribute("value")}");
}
