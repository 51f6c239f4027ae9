using System.Globalization;
using System.Text.RegularExpressions;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>
/// <c>repeat: {total: -1}</c> runs until Ctrl+C: the running command's process group is killed, the results so far
/// are written, and the exit code reflects them. Soak loops run in constant memory.
/// </summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed partial class SoakTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    [TestMethod]
    public async Task Ctrl_C_stops_a_forever_run_kills_the_running_command_and_writes_results()
    {
        using var work = new WorkFolder();
        var marker = Random.Shared.Next(800_000, 900_000).ToString(CultureInfo.InvariantCulture);
        work.Write("forever.spec.yml", $$"""
            name: forever
            sequence:
              - tests:
                  - name: quick
                    command: ["true"]
                  - name: long
                    command: 'sleep {{marker}} & sleep {{marker}}'
                repeat: { total: -1, delay_seconds: 0 }
            """);
        using var run = DeviceTestProcess.Start(work.Path, ["run", "forever.spec.yml", "--junit", "junit.xml", "--trx", "results.trx", "--results", "results"]);
        run.WaitForLine(l => l.Contains("PASS  forever > quick", StringComparison.Ordinal), Generous, "the first result");
        run.WaitForLine(l => l.Contains("RUN   forever > long", StringComparison.Ordinal), Generous, "the long test starting");
        await WaitForProcessAsync($"sleep {marker}");

        var signalled = DateTime.UtcNow;
        run.Signal("INT");
        var result = await run.WaitAsync(Generous);

        Assert.IsLessThan(TimeSpan.FromSeconds(30), DateTime.UtcNow - signalled, "Ctrl+C must stop the run promptly");
        // One test passed, the interrupted one is not reported: the exit code reflects the results so far.
        result.ExpectExit(0).ExpectNoStackTrace();
        StringAssert.Contains(result.Stderr, "SIGINT: stopping");
        StringAssert.Contains(result.Stdout, "cancelled: test 'long'");
        StringAssert.Contains(result.Stdout, "stopped before the end");
        StringAssert.Contains(result.Stdout, "1 passed, 0 failed, 0 skipped");
        await ProcessTable.AssertNoneAsync($"sleep {marker}");

        ResultFiles.AssertJUnitCounts(work.Xml("junit.xml"), tests: 1, failures: 0, skipped: 0);
        ResultFiles.AssertTrxCounts(work.Xml("results.trx"), total: 1, passed: 1, failed: 0);
        Assert.IsTrue(File.Exists(work.File("results/forever/01-quick/1/console.log")));
        Assert.IsTrue(File.Exists(work.File("results/forever/02-long/1/console.log")), "the interrupted test keeps its output so far");
        Assert.IsEmpty(Directory.GetDirectories(work.Path, "*.partial-*"), "no spool folders are left behind");
    }

    [TestMethod]
    public async Task Ctrl_C_before_any_test_finished_exits_one()
    {
        using var work = new WorkFolder();
        work.Write("slow.spec.yml", """
            sequence:
              - tests:
                  - name: slow
                    command: [sleep, "600"]
            """);
        using var run = DeviceTestProcess.Start(work.Path, ["run", "slow.spec.yml", "--junit", "junit.xml"]);
        run.WaitForLine(l => l.Contains("RUN   slow > slow", StringComparison.Ordinal), Generous, "the test starting");

        run.Signal("TERM");
        var result = await run.WaitAsync(Generous);

        result.ExpectExit(1).ExpectNoStackTrace();
        StringAssert.Contains(result.Stdout, "No tests ran.");
        ResultFiles.AssertJUnitCounts(work.Xml("junit.xml"), tests: 0, failures: 0, skipped: 0);
    }

    /// <summary>
    /// A soak of a trivial test: the devicetest process's VmRSS after warm-up and thousands of iterations later
    /// differ by less than 8 MB. <c>DEVICETEST_SOAK_ITERATIONS</c> sets how far to go (default 4000; 10000 for the
    /// full check). Warm-up ends around iteration 1,000-1,500 (the GC heap settles with one step of ~4 MB, later under
    /// load): sampling at #500 measured that step, and a CI run under load failed on it (+10.8 MB by #2500) while the
    /// process stays flat from #1,500 to #7,300 (+0.2 MB).
    /// </summary>
    [TestMethod]
    public async Task Soak_run_memory_stays_flat()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("DEVICETEST_SOAK_ITERATIONS"), CultureInfo.InvariantCulture, out var n) && n > 2000 ? n : 4000;
        using var work = new WorkFolder();
        work.Write("soak.spec.yml", """
            name: soak
            sequence:
              - tests:
                  - name: trivial
                    command: ["true"]
                repeat: { total: -1, delay_seconds: 0 }
            """);
        using var run = DeviceTestProcess.Start(work.Path, ["run", "soak.spec.yml", "--junit", "junit.xml", "--trx", "results.trx"]);

        run.WaitForLine(l => l.Contains("PASS  soak > trivial #1500 ", StringComparison.Ordinal), Generous, "iteration 1500");
        var early = run.ResidentKilobytes();
        run.WaitForLine(l => l.Contains($"PASS  soak > trivial #{iterations} ", StringComparison.Ordinal), TimeSpan.FromMinutes(20), $"iteration {iterations}");
        var late = run.ResidentKilobytes();
        run.Signal("INT");
        var result = await run.WaitAsync(Generous);

        result.ExpectExit(0).ExpectNoStackTrace();
        Assert.IsLessThan(8 * 1024, late - early, $"VmRSS grew from {early} kB (iteration 1500) to {late} kB (iteration {iterations})");

        // The summary has one row for the test however many times it ran, and the files agree with it.
        var rows = result.Stdout.Split('\n').Where(l => SummaryRow().IsMatch(l)).ToList();
        Assert.HasCount(1, rows, result.Stdout[^Math.Min(2000, result.Stdout.Length)..]);
        var runs = int.Parse(SummaryRow().Match(rows[0]).Groups["runs"].Value, CultureInfo.InvariantCulture);
        Assert.IsGreaterThanOrEqualTo(iterations, runs);
        StringAssert.Contains(result.Stdout, $"{runs} passed, 0 failed, 0 skipped");
        ResultFiles.AssertJUnitCounts(work.Xml("junit.xml"), tests: runs, failures: 0, skipped: 0);
        ResultFiles.AssertTrxCounts(work.Xml("results.trx"), total: runs, passed: runs, failed: 0);
    }

    private static async Task WaitForProcessAsync(string commandLine)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (ProcessTable.Find(commandLine).Count == 0)
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"no process '{commandLine}' started");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"^\s+soak > trivial\s+PASS\s+(?<runs>\d+)\s")]
    private static partial Regex SummaryRow();
}
