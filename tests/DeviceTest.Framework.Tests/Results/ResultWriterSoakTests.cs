using System.Xml;
using DeviceTest.Framework.Results;
using static DeviceTest.Framework.Tests.Results.ResultFixture;

namespace DeviceTest.Framework.Tests.Results;

/// <summary>A soak run produces tens of thousands of results; the writers must not hold them in memory.</summary>
/// <remarks>Not run in parallel: the process-wide heap size must not include other tests' objects.</remarks>
[TestClass]
[DoNotParallelize]
public sealed class ResultWriterSoakTests
{
    private const int Results = 10_000;

    // 10,000 results with 2 KiB of output each would retain 40+ MB (UTF-16) if kept; the bound is far below that
    // and far above what counters and ten definitions need.
    private const long AllowedGrowth = 8 * 1024 * 1024;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task JUnit_memory_stays_flat_over_ten_thousand_results()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("soak.xml");
        await using (var writer = new JUnitResultWriter(target))
        {
            var growth = await MeasureGrowthAsync(writer);
            TestContext.WriteLine($"memory grew by {growth:N0} bytes");
            Assert.IsLessThan(AllowedGrowth, growth, $"memory grew by {growth:N0} bytes over {Results:N0} results");
            await writer.CompleteAsync(Summary(Results, 0, 0), TestContext.CancellationToken);
        }

        Assert.AreEqual(Results, CountElements(target, "testcase"));
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task Trx_memory_stays_flat_over_ten_thousand_results()
    {
        using var fixture = new ResultFixture();
        var target = fixture.PathOf("soak.trx");
        await using (var writer = new TrxResultWriter(target))
        {
            var growth = await MeasureGrowthAsync(writer);
            TestContext.WriteLine($"memory grew by {growth:N0} bytes");
            Assert.IsLessThan(AllowedGrowth, growth, $"memory grew by {growth:N0} bytes over {Results:N0} results");
            await writer.CompleteAsync(Summary(Results, 0, 0), TestContext.CancellationToken);
        }

        Assert.AreEqual(Results, CountElements(target, "UnitTestResult"));
        Assert.AreEqual(Results, CountElements(target, "TestEntry"));
        Assert.AreEqual(10, CountElements(target, "UnitTest"));
    }

    /// <summary>Memory retained after the last result, compared with after a warm-up of the first 500.</summary>
    private async Task<long> MeasureGrowthAsync(IResultSink writer)
    {
        var output = new string('x', 2048);
        long baseline = 0;
        for (var i = 0; i < Results; i++)
        {
            if (i == 500)
            {
                baseline = GC.GetTotalMemory(forceFullCollection: true);
            }

            // Ten tests in two specs, repeated: a soak loop.
            var result = Result($"spec{i % 2}", $"test{i % 10}", iteration: (i / 10) + 1, repeated: true,
                stdout: output, stderr: output, metrics: new Dictionary<string, double> { ["n"] = i });
            await writer.AddAsync(result, TestContext.CancellationToken);
        }

        return GC.GetTotalMemory(forceFullCollection: true) - baseline;
    }

    // Streams through the file: counting must not load it either.
    private static int CountElements(string path, string localName)
    {
        using var reader = XmlReader.Create(path);
        var count = 0;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == localName)
            {
                count++;
            }
        }

        return count;
    }
}
