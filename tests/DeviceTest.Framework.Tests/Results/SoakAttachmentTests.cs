using System.Globalization;
using System.Xml.Linq;
using DeviceTest.Framework.Results;
using static DeviceTest.Framework.Tests.Results.ResultFixture;

namespace DeviceTest.Framework.Tests.Results;

/// <summary>
/// A soak (a spec with <c>repeat</c>, thousands of iterations, a console.log each) must not fill the disk with copies
/// of passing iterations' logs next to the TRX, while every failure keeps its log and the TRX stays complete.
/// </summary>
[TestClass]
public sealed class SoakAttachmentTests
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private const int Iterations = 1_000;
    private const int LogSize = 4096;

    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Ct => TestContext.CancellationToken;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task Two_thousand_passing_results_keep_a_bounded_number_of_log_copies()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("out/soak.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            for (var i = 1; i <= Iterations; i++)
            {
                // Two tests per iteration, as a repeat step with two tests runs them: 2,000 results.
                foreach (var test in new[] { "ping", "reboot" })
                {
                    await writer.AddAsync(Result("soak", test, iteration: i, repeated: true, attachments: [Log(fixture, test, i)]), Ct);
                }
            }

            await writer.CompleteAsync(Summary(2 * Iterations, 0, 0), Ct);
        }

        var run = XDocument.Load(target).Root!;
        var results = run.Element(Ns + "Results")!.Elements(Ns + "UnitTestResult").ToList();
        Assert.HasCount(2 * Iterations, results, "every iteration is in the TRX");
        AssertAttachmentsExist(target, results);

        // Per test: the first pass and the last five keep their console.log.
        foreach (var test in new[] { "ping", "reboot" })
        {
            var withFiles = results.Where(r => ((string)r.Attribute("testName")!).StartsWith(test + " #", StringComparison.Ordinal) && r.Element(Ns + "ResultFiles") is not null)
                .Select(r => (string)r.Attribute("testName")!)
                .ToArray();
            CollectionAssert.AreEqual(new[] { 1, 996, 997, 998, 999, 1000 }.Select(i => $"{test} #{i}").ToArray(), withFiles);
        }

        var deployment = fixture.PathOf("out/soak");
        var bytes = Directory.EnumerateFiles(deployment, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        TestContext.WriteLine($"TRX folder: {bytes:N0} bytes for {2 * Iterations:N0} results with a {LogSize:N0}-byte console.log each");
        Assert.IsLessThanOrEqualTo(2 * 6 * LogSize, bytes, $"{bytes:N0} bytes of attachments next to the TRX");
        Assert.HasCount(2 * 6, Directory.GetDirectories(Path.Combine(deployment, "In")), "no leftover result folders");

        var note = run.Descendants(Ns + "RunInfo").Single();
        Assert.AreEqual("Warning", (string?)note.Attribute("outcome"));
        StringAssert.Contains(note.Element(Ns + "Text")!.Value, $"the attachments of {2 * (Iterations - 6)} passed results");
    }

    [TestMethod]
    public async Task A_failed_iteration_keeps_its_log_and_so_do_the_passes_just_before_it()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("out/soak.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            for (var i = 1; i <= 100; i++)
            {
                var outcome = i == 50 ? TestOutcome.Failed : TestOutcome.Passed;
                await writer.AddAsync(Result("soak", "reboot", outcome, iteration: i, repeated: true, attachments: [Log(fixture, "reboot", i)]), Ct);
            }

            await writer.CompleteAsync(Summary(99, 1, 0), Ct);
        }

        var results = XDocument.Load(target).Descendants(Ns + "UnitTestResult").ToDictionary(r => (string)r.Attribute("testName")!);
        AssertAttachmentsExist(target, results.Values);
        var failed = results["reboot #50"];
        Assert.AreEqual("Failed", (string?)failed.Attribute("outcome"));
        var file = failed.Element(Ns + "ResultFiles")!.Elements(Ns + "ResultFile").Single();
        var copy = Path.Combine(fixture.PathOf("out/soak/In"), (string)failed.Attribute("executionId")!, (string)file.Attribute("path")!);
        StringAssert.StartsWith(await File.ReadAllTextAsync(copy, Ct), "reboot iteration 50\n");

        var withFiles = results.Values.Where(r => r.Element(Ns + "ResultFiles") is not null)
            .Select(r => int.Parse(((string)r.Attribute("testName")!).Split('#')[1], CultureInfo.InvariantCulture))
            .Order()
            .ToArray();
        CollectionAssert.AreEqual(new[] { 1, 45, 46, 47, 48, 49, 50, 96, 97, 98, 99, 100 }, withFiles);
    }

    [TestMethod]
    public async Task A_run_without_repeats_keeps_every_attachment_and_no_note()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("out/run.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            for (var i = 1; i <= 20; i++)
            {
                await writer.AddAsync(Result("smoke", $"test{i}", attachments: [Log(fixture, $"test{i}", 1)]), Ct);
            }

            await writer.CompleteAsync(Summary(20, 0, 0), Ct);
        }

        var run = XDocument.Load(target).Root!;
        var results = run.Descendants(Ns + "UnitTestResult").ToList();
        Assert.IsTrue(results.All(r => r.Element(Ns + "ResultFiles") is not null));
        AssertAttachmentsExist(target, results);
        Assert.IsEmpty(run.Descendants(Ns + "RunInfo").ToList());
    }

    [TestMethod]
    public async Task JUnit_refers_to_the_logs_where_they_are_and_copies_nothing()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("out/soak.xml");
        var logs = new List<string>();
        await using (var writer = new JUnitResultWriter(target))
        {
            for (var i = 1; i <= 200; i++)
            {
                logs.Add(Log(fixture, "reboot", i));
                await writer.AddAsync(Result("soak", "reboot", iteration: i, repeated: true, attachments: [logs[^1]]), Ct);
            }

            await writer.CompleteAsync(Summary(200, 0, 0), Ct);
        }

        CollectionAssert.AreEqual(new[] { "out", "out/soak.xml" }, fixture.Listing().Where(p => p.StartsWith("out", StringComparison.Ordinal)).ToArray());
        var text = await File.ReadAllTextAsync(target, Ct);
        Assert.IsTrue(logs.All(log => text.Contains($"[[ATTACHMENT|{log}]]", StringComparison.Ordinal)));
    }

    /// <summary>A console.log of <see cref="LogSize"/> bytes that differs per iteration (as real ones do).</summary>
    private static string Log(ResultFixture fixture, string test, int iteration)
    {
        var head = $"{test} iteration {iteration}\n";
        return fixture.File($"work/{test}-{iteration}/console.log", head + new string('.', LogSize - head.Length));
    }

    /// <summary>Every ResultFile the TRX names exists where Visual Studio and Azure DevOps look for it.</summary>
    private static void AssertAttachmentsExist(string trx, IEnumerable<XElement> results)
    {
        var inFolder = Path.Combine(Path.GetDirectoryName(trx)!, Path.GetFileNameWithoutExtension(trx), "In");
        foreach (var result in results)
        {
            foreach (var file in result.Descendants(Ns + "ResultFile"))
            {
                var path = Path.Combine(inFolder, (string)result.Attribute("executionId")!, (string)file.Attribute("path")!);
                Assert.IsTrue(File.Exists(path), $"{result.Attribute("testName")}: {path} is referenced but missing");
            }
        }
    }
}
