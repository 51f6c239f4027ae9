using System.Diagnostics;
using System.Text;
using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Consumers;

/// <summary>
/// The result files of both producers, <c>devicetest run --junit --trx</c> and <c>dotnet test --logger trx --logger
/// devicetest-junit</c>, on one spec (Consumers/ResultsProject), read the way Azure DevOps, dorny/test-reporter and
/// EnricoMi/publish-unit-test-result-action read them (the readers in this folder follow their source). Each rule is a test.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ResultConsumerTests
{
    private static readonly string Project = RepositoryFiles.Path("tests", "DeviceTest.Agent.Tests", "Consumers", "ResultsProject");
    private static string s_output = string.Empty;

    private static string Trx(string producer) => Path.Combine(s_output, producer, producer + ".trx");

    private static string JUnit(string producer) => Path.Combine(s_output, producer, "junit.xml");

    [ClassInitialize]
    public static async Task ProduceResultFiles(TestContext context)
    {
        _ = context;
        s_output = Directory.CreateTempSubdirectory("devicetest-consumers-").FullName;
        // Built into a folder of its own: other test assemblies build the same source projects at the same time.
        var (testExit, testOutput) = await DotnetAsync(
            "test", Project, "--artifacts-path", Path.Combine(s_output, "artifacts"), "--results-directory", Path.Combine(s_output, "dotnet-test"),
            "--logger", "trx;LogFileName=dotnet-test.trx", "--logger", $"devicetest-junit;LogFilePath={JUnit("dotnet-test")}");
        Assert.AreEqual(1, testExit, "the spec has failures on purpose:\n" + testOutput);

        var run = await DeviceTestProcess.RunAsync(
            s_output,
            ["run", Path.Combine(Project, "consumers.spec.yml"), "--junit", JUnit("devicetest-run"), "--trx", Trx("devicetest-run")]);
        Assert.AreEqual(1, run.ExitCode, run.Stdout + run.Stderr);
    }

    [ClassCleanup]
    public static void DeleteResultFiles()
    {
        if (Directory.Exists(s_output))
        {
            Directory.Delete(s_output, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("dotnet-test")]
    [DataRow("devicetest-run")]
    public void Azure_DevOps_keeps_every_result_and_shows_failures_and_timeouts_as_failed(string producer)
    {
        var (kept, dropped) = AzureDevOpsTrxReader.Read(Trx(producer));

        Assert.AreEqual(0, dropped, "results without testName or definition are dropped by Azure DevOps");
        var byName = kept.ToDictionary(t => t.Name);
        Assert.AreEqual("Passed", byName["passes-with-artifact"].Outcome);
        Assert.AreEqual("Failed", byName["yaml-broken"].Outcome);
        Assert.AreEqual("Failed", byName["times-out"].Outcome, "an outcome other than Failed would show as NotExecuted");
        Assert.AreEqual("Passed", byName["repeated #2"].Outcome);
        CollectionAssert.AreEqual(
            new[] { "check-a=Passed", "check-b=Failed", "check-c=NotExecuted" },
            byName["with sub-results"].SubResults.Select(s => $"{s.Name}={s.Outcome}").ToArray());
        Assert.IsTrue(kept.All(t => t.Outcome is "Passed" or "Failed" or "NotExecuted"), string.Join(", ", kept.Select(t => t.Outcome)));
    }

    [TestMethod]
    [DataRow("dotnet-test")]
    [DataRow("devicetest-run")]
    public void Azure_DevOps_finds_every_attachment_under_the_run_deployment_root_In_execution_id(string producer)
    {
        var (kept, _) = AzureDevOpsTrxReader.Read(Trx(producer));

        var attachments = kept.SelectMany(t => t.Attachments).ToList();
        Assert.IsTrue(attachments.Any(a => Path.GetFileName(a) == "report.txt"), string.Join("\n", attachments));
        var missing = attachments.Where(a => !File.Exists(a)).ToList();
        Assert.IsEmpty(missing, "attachments Azure DevOps would not find:\n" + string.Join("\n", missing));
        Assert.AreEqual("all good\n", File.ReadAllText(attachments.First(a => Path.GetFileName(a) == "report.txt")));
    }

    [TestMethod]
    [DataRow("dotnet-test")]
    [DataRow("devicetest-run")]
    public void Dorny_test_reporter_reads_the_trx_with_an_outcome_for_every_test(string producer)
    {
        var tests = DornyTrxReader.Read(Trx(producer));

        CollectionAssert.IsSubsetOf(new[] { "passes-with-artifact", "yaml-broken", "times-out", "with sub-results", "repeated #1" }, tests.Select(t => t.Name).ToArray());
        Assert.IsFalse(tests.Any(t => t.Outcome == "(none)"), "outcomes dotnet-trx does not map leave a test without a result");
        Assert.AreEqual("failed", tests.Single(t => t.Name == "times-out").Outcome);
    }

    [TestMethod]
    [DataRow("dotnet-test")]
    [DataRow("devicetest-run")]
    public void Dorny_test_reporter_reads_the_junit_with_names_as_written_and_sub_results_as_tests(string producer)
    {
        var tests = DornyJUnitReader.Read(JUnit(producer)).ToDictionary(t => t.Name);

        Assert.AreEqual("failed", tests["yaml-broken"].Outcome);
        Assert.AreEqual("success", tests["passes-with-artifact"].Outcome);
        Assert.AreEqual("success", tests["with sub-results/check-a"].Outcome);
        Assert.AreEqual("failed", tests["with sub-results/check-b"].Outcome);
        Assert.AreEqual("skipped", tests["with sub-results/check-c"].Outcome);
        Assert.AreEqual("failed", tests["times-out"].Outcome);
    }

    [TestMethod]
    [DataRow("dotnet-test")]
    [DataRow("devicetest-run")]
    public void EnricoMi_lists_every_result_and_turns_no_failure_into_a_skip(string producer)
    {
        var (listed, counted) = EnricoMiTrxReader.Read(Trx(producer));

        Assert.AreEqual(counted, listed.Count, "results without a definition are counted but not listed");
        var byName = listed.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First().Outcome);
        Assert.AreEqual("failed", byName["yaml-broken"]);
        Assert.AreEqual("failed", byName["times-out"], "unknown outcomes become skipped");
        Assert.AreEqual("failed", byName["check-b"]);
        Assert.AreEqual("skipped", byName["check-c"]);
        Assert.IsFalse(listed.Any(t => t.Outcome == "error"));
    }

    [TestMethod]
    public void Dotnet_test_reports_the_suite_skip_as_skipped_everywhere()
    {
        Assert.AreEqual("NotExecuted", AzureDevOpsTrxReader.Read(Trx("dotnet-test")).Kept.Single(t => t.Name == "Skipped").Outcome);
        Assert.AreEqual("skipped", DornyTrxReader.Read(Trx("dotnet-test")).Single(t => t.Name == "Skipped").Outcome);
        Assert.AreEqual("skipped", DornyJUnitReader.Read(JUnit("dotnet-test")).Single(t => t.Name == "Skipped").Outcome);
        Assert.AreEqual("success", DornyJUnitReader.Read(JUnit("dotnet-test")).Single(t => t.Name == "suite-passes").Outcome);
    }

    /// <summary>The readers are real checks: each catches the file its consumer gets wrong (Consumers/Golden).</summary>
    [TestMethod]
    public void The_readers_catch_what_each_consumer_gets_wrong()
    {
        string Golden(string name) => RepositoryFiles.Path("tests", "DeviceTest.Agent.Tests", "Consumers", "Golden", name);

        var (kept, dropped) = AzureDevOpsTrxReader.Read(Golden("no-test-name.trx"));
        Assert.AreEqual(1, dropped);
        Assert.AreEqual("NotExecuted", kept.Single().Outcome, "a Timeout outcome is not a failure to Azure DevOps");
        Assert.IsFalse(File.Exists(kept.Single().Attachments.Single()), "the attachment is not under In/<executionId>/");

        StringAssert.Contains(Assert.ThrowsExactly<ConsumerRejectedException>(() => DornyTrxReader.Read(Golden("no-test-name.trx"))).Message, "no testName");
        StringAssert.Contains(Assert.ThrowsExactly<ConsumerRejectedException>(() => DornyTrxReader.Read(Golden("long-duration.trx"))).Message, "is not hh:mm:ss");
        StringAssert.Contains(Assert.ThrowsExactly<ConsumerRejectedException>(() => DornyJUnitReader.Read(Golden("suite-without-name.xml"))).Message, "no name");
        Assert.AreEqual("skipped", EnricoMiTrxReader.Read(Golden("no-test-name.trx")).Listed.Single(t => t.Name == "times-out").Outcome);
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("DEVICETEST_DEVICES");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, new StringBuilder(await stdout).Append(await stderr).ToString());
    }
}
