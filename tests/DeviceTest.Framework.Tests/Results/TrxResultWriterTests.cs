using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DeviceTest.Framework.Results;
using static DeviceTest.Framework.Tests.Results.ResultFixture;

namespace DeviceTest.Framework.Tests.Results;

[TestClass]
public sealed partial class TrxResultWriterTests
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private const string UnitTestType = "13cdc9d9-ddb5-4fa4-a97d-d965ccfc6d4b";
    private const string Uncategorized = "8c84fa94-04c1-424b-9868-57a2d4851a1d";

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    [TestMethod]
    public async Task Writes_the_structure_Visual_Studio_expects_with_consistent_ids()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("run.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            await writer.AddAsync(Result("smoke", "kernel", stdout: "Linux 6.1", exitCode: 0, sourceFile: "/specs/smoke.spec.yml", sourceLine: 4,
                properties: [new("spec", "smoke.spec.yml")]), Ct);
            await writer.AddAsync(Result("network checks", "ping", TestOutcome.Failed, message: "ping: unreachable", details: "100% packet loss",
                stderr: "Network is unreachable", exitCode: 1, seconds: 3725.5), Ct);
            await writer.AddAsync(Result("smoke", "wifi", TestOutcome.Skipped, message: "requires tag wifi"), Ct);
            await writer.CompleteAsync(Summary(1, 1, 1), Ct);
        }

        var document = XDocument.Load(target);
        var run = document.Root!;
        Assert.AreEqual(Ns + "TestRun", run.Name);
        Assert.IsTrue(document.Descendants().All(e => e.Name.Namespace == Ns), "every element is in the TRX namespace");
        Assert.IsTrue(Guid.TryParse((string?)run.Attribute("id"), out _));
        Assert.AreEqual("nightly", (string?)run.Attribute("name"));
        Assert.IsNotNull(run.Attribute("runUser"));
        CollectionAssert.AreEqual(
            new[] { "Times", "TestSettings", "Results", "TestDefinitions", "TestEntries", "TestLists", "ResultSummary" },
            run.Elements().Select(e => e.Name.LocalName).ToArray(),
            "sections in VSTest's order");

        var times = run.Element(Ns + "Times")!;
        Assert.AreEqual(RunStart, DateTimeOffset.Parse((string)times.Attribute("start")!, CultureInfo.InvariantCulture));
        Assert.AreEqual(RunStart.AddSeconds(42.25), DateTimeOffset.Parse((string)times.Attribute("finish")!, CultureInfo.InvariantCulture));
        Assert.IsNotNull(times.Attribute("creation"));
        Assert.IsNotNull(times.Attribute("queuing"));
        Assert.IsTrue(IsoDate().IsMatch((string)times.Attribute("start")!), "dorny/test-reporter's date shape");
        Assert.AreEqual("run", (string?)run.Element(Ns + "TestSettings")!.Element(Ns + "Deployment")!.Attribute("runDeploymentRoot"));

        var results = run.Element(Ns + "Results")!.Elements(Ns + "UnitTestResult").ToList();
        Assert.HasCount(3, results);
        foreach (var result in results)
        {
            Assert.IsTrue(Guid.TryParse((string?)result.Attribute("executionId"), out _));
            Assert.AreEqual(Environment.MachineName, (string?)result.Attribute("computerName"));
            Assert.AreEqual(UnitTestType, (string?)result.Attribute("testType"));
            Assert.AreEqual(Uncategorized, (string?)result.Attribute("testListId"));
            Assert.AreEqual((string?)result.Attribute("executionId"), (string?)result.Attribute("relativeResultsDirectory"));
            Assert.IsTrue(NetDuration().IsMatch((string)result.Attribute("duration")!), (string?)result.Attribute("duration"));
            Assert.IsTrue(IsoDate().IsMatch((string)result.Attribute("startTime")!));
            Assert.IsTrue(IsoDate().IsMatch((string)result.Attribute("endTime")!));
        }

        var (kernel, ping, wifi) = (results[0], results[1], results[2]);
        Assert.AreEqual("kernel", (string?)kernel.Attribute("testName"));
        Assert.AreEqual("Passed", (string?)kernel.Attribute("outcome"));
        Assert.AreEqual("00:00:01.5000000", (string?)kernel.Attribute("duration"));
        Assert.AreEqual("Linux 6.1", (string?)kernel.Element(Ns + "Output")!.Element(Ns + "StdOut"));
        Assert.IsNull(kernel.Element(Ns + "Output")!.Element(Ns + "ErrorInfo"));

        Assert.AreEqual("Failed", (string?)ping.Attribute("outcome"));
        Assert.AreEqual("01:02:05.5000000", (string?)ping.Attribute("duration"));
        var error = ping.Element(Ns + "Output")!.Element(Ns + "ErrorInfo")!;
        Assert.AreEqual("ping: unreachable", (string?)error.Element(Ns + "Message"));
        Assert.AreEqual("100% packet loss", (string?)error.Element(Ns + "StackTrace"));
        Assert.AreEqual("Network is unreachable", (string?)ping.Element(Ns + "Output")!.Element(Ns + "StdErr"));
        CollectionAssert.Contains(
            ping.Descendants(Ns + "TextMessages").Elements(Ns + "Message").Select(m => m.Value).ToList(), "Exit code: 1");

        Assert.AreEqual("NotExecuted", (string?)wifi.Attribute("outcome"));
        Assert.AreEqual("requires tag wifi", (string?)wifi.Descendants(Ns + "Message").First());

        // Ids agree between results, definitions and entries.
        var definitions = run.Element(Ns + "TestDefinitions")!.Elements(Ns + "UnitTest").ToList();
        Assert.HasCount(3, definitions);
        var definitionIds = definitions.Select(d => (string)d.Attribute("id")!).ToHashSet();
        var executionIds = results.Select(r => (string)r.Attribute("executionId")!).ToHashSet();
        Assert.IsTrue(results.All(r => definitionIds.Contains((string)r.Attribute("testId")!)));
        Assert.IsTrue(definitions.All(d => executionIds.Contains((string)d.Element(Ns + "Execution")!.Attribute("id")!)));
        var entries = run.Element(Ns + "TestEntries")!.Elements(Ns + "TestEntry").ToList();
        CollectionAssert.AreEquivalent(
            results.Select(r => $"{(string?)r.Attribute("testId")} {(string?)r.Attribute("executionId")}").ToArray(),
            entries.Select(e => $"{(string?)e.Attribute("testId")} {(string?)e.Attribute("executionId")}").ToArray());
        Assert.IsTrue(entries.All(e => (string?)e.Attribute("testListId") == Uncategorized));

        var kernelDefinition = definitions.Single(d => (string?)d.Attribute("id") == (string?)kernel.Attribute("testId"));
        Assert.AreEqual("kernel", (string?)kernelDefinition.Attribute("name"));
        Assert.AreEqual("/specs/smoke.spec.yml", (string?)kernelDefinition.Attribute("storage"));
        var method = kernelDefinition.Element(Ns + "TestMethod")!;
        Assert.AreEqual("smoke", (string?)method.Attribute("className"));
        Assert.AreEqual("kernel", (string?)method.Attribute("name"));
        Assert.AreEqual("/specs/smoke.spec.yml", (string?)method.Attribute("codeBase"));
        Assert.IsNotNull(method.Attribute("adapterTypeName"));
        Assert.AreEqual("spec", (string?)kernelDefinition.Descendants(Ns + "Key").Single());
        var pingMethod = definitions.Single(d => (string?)d.Attribute("id") == (string?)ping.Attribute("testId")).Element(Ns + "TestMethod")!;
        Assert.AreEqual("network_checks", (string?)pingMethod.Attribute("className"));

        CollectionAssert.AreEqual(
            new[] { Uncategorized, "19431567-8539-422a-85d7-44ee4e166bda" },
            run.Element(Ns + "TestLists")!.Elements(Ns + "TestList").Select(l => (string?)l.Attribute("id")).ToArray());

        var summary = run.Element(Ns + "ResultSummary")!;
        Assert.AreEqual("Failed", (string?)summary.Attribute("outcome"));
        var counters = summary.Element(Ns + "Counters")!;
        Assert.AreEqual("3", (string?)counters.Attribute("total"));
        Assert.AreEqual("2", (string?)counters.Attribute("executed"));
        Assert.AreEqual("1", (string?)counters.Attribute("passed"));
        Assert.AreEqual("1", (string?)counters.Attribute("failed"));
        Assert.AreEqual("1", (string?)counters.Attribute("notExecuted"));
    }

    [TestMethod]
    public async Task Iterations_share_a_stable_test_id_with_distinct_execution_ids()
    {
        using var fixture = new ResultFixture();

        async Task<XElement> RunAsync(string name)
        {
            var target = fixture.PathOf(name);
            await using var writer = new TrxResultWriter(target);
            for (var i = 1; i <= 3; i++)
            {
                await writer.AddAsync(Result("soak", "reboot", iteration: i, repeated: true), Ct);
            }

            await writer.AddAsync(Result("soak", "final"), Ct);
            await writer.CompleteAsync(Summary(4, 0, 0), Ct);
            return XDocument.Load(target).Root!;
        }

        var first = await RunAsync("first.trx");
        var second = await RunAsync("second.trx");

        var results = first.Descendants(Ns + "UnitTestResult").ToList();
        CollectionAssert.AreEqual(
            new[] { "reboot #1", "reboot #2", "reboot #3", "final" },
            results.Select(r => (string?)r.Attribute("testName")).ToArray());
        Assert.AreEqual(1, results.Take(3).Select(r => (string?)r.Attribute("testId")).Distinct().Count());
        Assert.AreEqual(4, results.Select(r => (string?)r.Attribute("executionId")).Distinct().Count());
        Assert.HasCount(2, first.Descendants(Ns + "UnitTest"), "one definition per distinct test");
        Assert.HasCount(4, first.Descendants(Ns + "TestEntry"), "one entry per execution");

        CollectionAssert.AreEqual(
            results.Select(r => (string?)r.Attribute("testId")).ToArray(),
            second.Descendants(Ns + "UnitTestResult").Select(r => (string?)r.Attribute("testId")).ToArray(),
            "test ids are the same on every run");
    }

    [TestMethod]
    public async Task Sub_results_are_inner_results_as_VSTest_writes_data_rows()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("run.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            await writer.AddAsync(Result(
                "fio", "disk", TestOutcome.Failed,
                subResults:
                [
                    new SubResult { Name = "read", Outcome = TestOutcome.Passed, LocalTimestamp = 1741940813.5, Metrics = new Dictionary<string, double> { ["iops"] = 1234.5 } },
                    new SubResult { Name = "write", Outcome = TestOutcome.Failed, LocalTimestamp = 1741940814, Details = "write stalled" },
                ]), Ct);
            await writer.CompleteAsync(Summary(0, 1, 0), Ct);
        }

        var run = XDocument.Load(target).Root!;
        var parent = run.Element(Ns + "Results")!.Elements(Ns + "UnitTestResult").Single();
        Assert.AreEqual("DataDrivenTest", (string?)parent.Attribute("resultType"));
        var inner = parent.Element(Ns + "InnerResults")!.Elements(Ns + "UnitTestResult").ToList();
        Assert.HasCount(2, inner);
        foreach (var (row, index) in inner.Select((r, i) => (r, i)))
        {
            Assert.AreEqual("DataDrivenDataRow", (string?)row.Attribute("resultType"));
            Assert.AreEqual((string?)parent.Attribute("executionId"), (string?)row.Attribute("parentExecutionId"));
            Assert.AreEqual((string?)parent.Attribute("testId"), (string?)row.Attribute("testId"));
            Assert.AreNotEqual((string?)parent.Attribute("executionId"), (string?)row.Attribute("executionId"));
            Assert.AreEqual((index + 1).ToString(CultureInfo.InvariantCulture), (string?)row.Attribute("dataRowInfo"));
        }

        Assert.AreEqual("read", (string?)inner[0].Attribute("testName"));
        Assert.AreEqual("Passed", (string?)inner[0].Attribute("outcome"));
        Assert.AreEqual(DateTimeOffset.FromUnixTimeMilliseconds(1741940813500), DateTimeOffset.Parse((string)inner[0].Attribute("startTime")!, CultureInfo.InvariantCulture));
        Assert.AreEqual("metric iops = 1234.5", (string?)inner[0].Descendants(Ns + "TextMessages").Elements().Single());
        Assert.AreEqual("Failed", (string?)inner[1].Attribute("outcome"));
        Assert.AreEqual("write stalled", (string?)inner[1].Descendants(Ns + "StdOut").Single());
        Assert.HasCount(1, run.Descendants(Ns + "TestEntry"), "data rows get no entries of their own");
        Assert.AreEqual("1", (string?)run.Descendants(Ns + "Counters").Single().Attribute("total"));
    }

    [TestMethod]
    public async Task Attachments_are_copied_to_the_In_folder_and_referenced_relative_to_it()
    {
        using var fixture = new ResultFixture();
        var console = fixture.File("work/t1/console.log", "boot log");
        var artifact = fixture.File("work/t1/artifacts/console.log", "same name, other file");
        var missing = fixture.PathOf("work/t1/gone.bin");
        var target = fixture.PathOf("out/run.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            await writer.AddAsync(Result("smoke", "kernel", attachments: [console, artifact, missing]), Ct);
            await writer.CompleteAsync(Summary(1, 0, 0), Ct);
        }

        var result = XDocument.Load(target).Descendants(Ns + "UnitTestResult").Single();
        var executionId = (string)result.Attribute("executionId")!;
        var paths = result.Element(Ns + "ResultFiles")!.Elements(Ns + "ResultFile").Select(f => (string)f.Attribute("path")!).ToList();
        CollectionAssert.AreEqual(
            new[] { $"{Environment.MachineName}/console.log", $"{Environment.MachineName}/console[2].log" },
            paths.Select(p => p.Replace('\\', '/')).ToArray());

        // Where Visual Studio (deployment root) and Azure DevOps (file name) look: <trx dir>/<name>/In/<executionId>/<path>.
        var inFolder = Path.Combine(fixture.PathOf("out"), "run", "In", executionId);
        Assert.AreEqual("boot log", await File.ReadAllTextAsync(Path.Combine(inFolder, paths[0]), Ct));
        Assert.AreEqual("same name, other file", await File.ReadAllTextAsync(Path.Combine(inFolder, paths[1]), Ct));
        StringAssert.Contains(result.Descendants(Ns + "StdErr").Single().Value, $"Attachment '{missing}' was not found");
        Assert.AreEqual("Passed", (string?)result.Attribute("outcome"));
    }

    [TestMethod]
    public async Task A_writer_disposed_before_completion_leaves_neither_a_file_nor_copied_attachments()
    {
        using var fixture = new ResultFixture();
        var log = fixture.File("console.log", "x");
        var target = fixture.PathOf("run.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            await writer.AddAsync(Result("smoke", "kernel", attachments: [log]), Ct);
        }

        CollectionAssert.AreEqual(new[] { "console.log" }, fixture.Listing());
    }

    [TestMethod]
    public async Task A_cancelled_run_is_a_valid_aborted_run_with_the_results_so_far()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("run.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            await writer.AddAsync(Result("smoke", "kernel"), Ct);
            await writer.CompleteAsync(Summary(1, 0, 0, cancelled: true), new CancellationToken(canceled: true));
        }

        var run = XDocument.Load(target).Root!;
        Assert.HasCount(1, run.Descendants(Ns + "UnitTestResult"));
        var summary = run.Element(Ns + "ResultSummary")!;
        Assert.AreEqual("Aborted", (string?)summary.Attribute("outcome"));
        StringAssert.Contains(summary.Descendants(Ns + "Text").Single().Value, "cancelled");
        CollectionAssert.AreEqual(new[] { "run.trx" }, fixture.Listing());
    }

    [TestMethod]
    public async Task An_empty_run_has_no_empty_result_sections()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("run.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            await writer.CompleteAsync(Summary(0, 0, 0, cancelled: true), Ct);
        }

        var run = XDocument.Load(target).Root!;
        Assert.IsNull(run.Element(Ns + "Results"), "dorny/test-reporter fails on an empty <Results/>");
        Assert.IsNull(run.Element(Ns + "TestDefinitions"));
        Assert.AreEqual("0", (string?)run.Descendants(Ns + "Counters").Single().Attribute("total"));
    }

    [TestMethod]
    public async Task Control_characters_in_device_output_still_give_a_parseable_file()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("run.trx");
        const string Nasty = "a\0b\u0007c\u001b[32md\u001b[0m\ud800e\uFFFF\u0001";
        await using (var writer = new TrxResultWriter(target))
        {
            await writer.AddAsync(Result("s\u0002", "t\u0003", TestOutcome.Failed, message: Nasty, details: Nasty, stdout: Nasty, stderr: Nasty,
                properties: [new("k\u0004", Nasty)],
                subResults: [new SubResult { Name = "r\u0005", Outcome = TestOutcome.Failed, LocalTimestamp = 2, Details = Nasty }]), Ct);
            await writer.CompleteAsync(Summary(0, 1, 0), Ct);
        }

        var result = XDocument.Load(target).Root!.Element(Ns + "Results")!.Elements(Ns + "UnitTestResult").Single();
        Assert.AreEqual("a\\u0000b\\u0007cd\\ud800e\\uffff\\u0001", (string?)result.Descendants(Ns + "StdOut").First());
        Assert.AreEqual("t\\u0003", (string?)result.Attribute("testName"));
    }

    [TestMethod]
    public async Task A_result_added_with_a_cancelled_token_is_not_recorded()
    {
        using var fixture = new ResultFixture();
        var log = fixture.File("console.log", "x");
        var target = fixture.PathOf("run.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            await Assert.ThrowsAsync<OperationCanceledException>(
                () => writer.AddAsync(Result("smoke", "kernel", attachments: [log]), new CancellationToken(canceled: true)));
            await writer.CompleteAsync(Summary(0, 0, 0, cancelled: true), Ct);
        }

        Assert.AreEqual("0", (string?)XDocument.Load(target).Descendants(Ns + "Counters").Single().Attribute("total"));
        CollectionAssert.AreEqual(new[] { "console.log", "run.trx" }, fixture.Listing(), "nothing was copied");
    }

    [TestMethod]
    public async Task A_target_that_cannot_be_written_gives_an_error_naming_the_file()
    {
        using var fixture = new ResultFixture();
        var blocker = fixture.File("not-a-folder", "a file where a folder should be");
        var target = Path.Combine(blocker, "run.trx");
        await using var writer = new TrxResultWriter(target);
        var error = await Assert.ThrowsAsync<IOException>(() => writer.CompleteAsync(Summary(0, 0, 0), Ct));
        StringAssert.Contains(error.Message, $"Cannot write the TRX results file '{target}'");
        StringAssert.Contains(error.Message, "writable");
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d+$")]
    private static partial Regex NetDuration();

    [GeneratedRegex(@"^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\d\.\d+([+-][0-2]\d:[0-5]\d|Z)$")]
    private static partial Regex IsoDate();
}
