using System.Globalization;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary><c>devicetest run</c> as a process on the local device: exit codes, JUnit, TRX and the results folder.</summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class RunCommandTests
{
    [TestMethod]
    public async Task README_command_runs_the_smoke_sample_and_writes_JUnit_TRX_and_results()
    {
        // The README's first command (through the built tool rather than `dotnet run`), from another folder.
        using var work = new WorkFolder();
        var result = await work.RunAsync(
            "run", RepositoryFiles.Path("samples", "specs", "smoke.spec.yml"),
            "--junit", "out/junit.xml", "--trx", "out/results.trx", "--results", "out/results");

        result.ExpectExit(0).ExpectNoStackTrace();
        StringAssert.Contains(result.Stdout, "4 passed, 0 failed, 0 skipped");
        var junit = work.Xml("out/junit.xml");
        ResultFiles.AssertJUnitCounts(junit, tests: 4, failures: 0, skipped: 0);
        CollectionAssert.AreEqual(
            new[] { "kernel", "true-exits-zero", "shell-and-environment", "uptime" },
            ResultFiles.TestCases(junit).Select(t => (string?)t.Attribute("name")).ToArray());
        Assert.AreEqual("smoke", (string?)junit.Root!.Element("testsuite")!.Attribute("name"));
        StringAssert.Contains(ResultFiles.TestCase(junit, "shell-and-environment").Element("system-out")!.Value, "mode=quick");

        var trx = work.Xml("out/results.trx");
        ResultFiles.AssertTrxCounts(trx, total: 4, passed: 4, failed: 0);
        CollectionAssert.AreEquivalent(
            new[] { "kernel", "true-exits-zero", "shell-and-environment", "uptime" },
            ResultFiles.TrxResults(trx).Select(r => (string?)r.Attribute("testName")).ToArray());

        // One folder per test, each with its console.log.
        foreach (var folder in new[] { "01-kernel", "02-true-exits-zero", "03-shell-and-environment", "04-uptime" })
        {
            Assert.IsTrue(File.Exists(work.File($"out/results/smoke/{folder}/console.log")), $"out/results/smoke/{folder}/console.log");
        }

        StringAssert.Contains(File.ReadAllText(work.File("out/results/smoke/01-kernel/console.log")), "Linux");
    }

    [TestMethod]
    public async Task Failing_test_exits_one_with_the_failure_in_JUnit_and_TRX()
    {
        using var work = new WorkFolder();
        work.Write("mixed.spec.yml", """
            name: mixed
            sequence:
              - tests:
                  - name: fine
                    command: ["true"]
                  - name: broken
                    command: 'echo "disk is on fire" >&2; exit 7'
            """);

        var result = await work.RunAsync("run", "mixed.spec.yml", "--junit", "junit.xml", "--trx", "results.trx");

        result.ExpectExit(1).ExpectNoStackTrace();
        StringAssert.Contains(result.Stdout, "1 passed, 1 failed, 0 skipped");
        StringAssert.Contains(result.Stdout, "FAIL  mixed > broken");
        var junit = work.Xml("junit.xml");
        ResultFiles.AssertJUnitCounts(junit, tests: 2, failures: 1, skipped: 0);
        var failure = ResultFiles.TestCase(junit, "broken").Element("failure")!;
        StringAssert.Contains((string?)failure.Attribute("message"), "exit code 7");
        StringAssert.Contains(failure.Value, "disk is on fire");
        Assert.AreEqual("mixed.spec.yml", (string?)ResultFiles.TestCase(junit, "broken").Attribute("file"));
        Assert.AreEqual("6", (string?)ResultFiles.TestCase(junit, "broken").Attribute("line"));

        var trx = work.Xml("results.trx");
        ResultFiles.AssertTrxCounts(trx, total: 2, passed: 1, failed: 1);
        var failed = ResultFiles.TrxResults(trx).Single(r => (string?)r.Attribute("outcome") == "Failed");
        Assert.AreEqual("broken", (string?)failed.Attribute("testName"));
        StringAssert.Contains(failed.Descendants(ResultFiles.Trx + "ErrorInfo").Single().Value, "exit code 7");
    }

    [TestMethod]
    public async Task Sub_results_metrics_and_artifacts_reach_JUnit_TRX_and_the_results_folder()
    {
        using var work = new WorkFolder();
        work.Write("fio.spec.yml", """
            name: fio
            sequence:
              - tests:
                  - name: suite
                    command: |
                      d="$TEST_DIR/$(date +%s.%N)-boot" && mkdir -p "$d/metrics" && echo 12.5 > "$d/metrics/seconds"
                      d="$TEST_DIR/$(date +%s.%N)-wifi" && mkdir -p "$d" && touch "$d/failed" && echo "no access point" > "$d/log"
                      d="$TEST_DIR/$(date +%s.%N)-gpu" && mkdir -p "$d" && touch "$d/skipped"
                      echo "hello report" > "$ARTIFACTS_DIR/report.txt"
            """);

        var result = await work.RunAsync("run", "fio.spec.yml", "--junit", "junit.xml", "--trx", "results.trx", "--results", "results");

        // As in fiotest the test itself passes (its command exited 0), but a failed sub-result fails the run, as it
        // does under dotnet test, where it is a failed child result.
        result.ExpectExit(1).ExpectNoStackTrace();
        StringAssert.Contains(result.Stdout, "1 sub-result(s) failed");
        var junit = work.Xml("junit.xml");
        var testCase = ResultFiles.TestCase(junit, "suite");
        var output = testCase.Element("system-out")!.Value;
        StringAssert.Contains(output, "boot");
        StringAssert.Contains(output, "wifi");
        StringAssert.Contains(output, "no access point");
        StringAssert.Contains(output, "gpu");
        var artifact = work.File("results/fio/01-suite/artifacts/report.txt");
        StringAssert.Contains(output, $"[[ATTACHMENT|{artifact}]]");
        Assert.AreEqual("hello report\n", File.ReadAllText(artifact));
        var properties = testCase.Descendants("property").ToDictionary(p => (string)p.Attribute("name")!, p => (string?)p.Attribute("value"));
        Assert.AreEqual("1", properties["subresults.passed"]);
        Assert.AreEqual("1", properties["subresults.failed"]);
        Assert.AreEqual("1", properties["subresults.skipped"]);
        Assert.IsTrue(properties.Any(p => p.Key.Contains("boot.seconds", StringComparison.Ordinal) && p.Value == "12.5"), string.Join(", ", properties));

        var trx = work.Xml("results.trx");
        var trxResult = ResultFiles.TrxResults(trx).Single();
        var inner = trxResult.Descendants(ResultFiles.Trx + "UnitTestResult").Select(r => ((string?)r.Attribute("testName"), (string?)r.Attribute("outcome"))).ToList();
        CollectionAssert.Contains(inner, ("boot", "Passed"));
        CollectionAssert.Contains(inner, ("wifi", "Failed"));
        CollectionAssert.Contains(inner, ("gpu", "NotExecuted"));
        var files = trxResult.Descendants(ResultFiles.Trx + "ResultFile").Select(f => Path.GetFileName((string)f.Attribute("path")!)).ToList();
        CollectionAssert.Contains(files, "report.txt");
        CollectionAssert.Contains(files, "console.log");
        Assert.IsTrue(File.Exists(work.File("results/fio/01-suite/console.log")));
    }

    [TestMethod]
    public async Task JUnit_names_are_as_written_and_sub_results_are_testcases_unless_kept_as_properties()
    {
        using var work = new WorkFolder();
        work.Write("names.spec.yml", """
            name: yaml names
            sequence:
              - tests:
                  - name: yaml-broken
                    command: |
                      mkdir -p "$TEST_DIR/1700000000-read.speed/metrics" && echo 9 > "$TEST_DIR/1700000000-read.speed/metrics/mbps"
                      mkdir -p "$TEST_DIR/1700000001-write" && touch "$TEST_DIR/1700000001-write/failed"
            """);

        var result = await work.RunAsync("run", "names.spec.yml", "--junit", "junit.xml");
        var kept = await work.RunAsync("run", "names.spec.yml", "--junit", "kept.xml", "--junit-subresults", "properties");

        result.ExpectExit(1).ExpectNoStackTrace();
        var junit = work.Xml("junit.xml");
        CollectionAssert.AreEqual(
            new[] { "yaml-broken", "yaml-broken/read.speed", "yaml-broken/write" },
            ResultFiles.TestCases(junit).Select(t => (string?)t.Attribute("name")).ToArray());
        ResultFiles.AssertJUnitCounts(junit, tests: 3, failures: 1, skipped: 0);
        Assert.AreEqual("yaml_names", (string?)ResultFiles.TestCase(junit, "yaml-broken/write").Attribute("classname"));
        Assert.AreEqual(
            "sub-result 'write' of 'yaml-broken' failed",
            (string?)ResultFiles.TestCase(junit, "yaml-broken/write").Element("failure")!.Attribute("message"));
        CollectionAssert.Contains(
            ResultFiles.TestCase(junit, "yaml-broken").Descendants("property").Select(p => (string?)p.Attribute("name")).ToList(),
            "subresult:write",
            "the test keeps its sub-result properties");

        kept.ExpectExit(1).ExpectNoStackTrace();
        var properties = work.Xml("kept.xml");
        CollectionAssert.AreEqual(new[] { "yaml-broken" }, ResultFiles.TestCases(properties).Select(t => (string?)t.Attribute("name")).ToArray());
        ResultFiles.AssertJUnitCounts(properties, tests: 1, failures: 0, skipped: 0);
    }

    [TestMethod]
    public async Task Timed_out_test_exits_one_and_leaves_no_process_behind()
    {
        using var work = new WorkFolder();
        var marker = Random.Shared.Next(700_000, 800_000).ToString(CultureInfo.InvariantCulture);
        work.Write("slow.spec.yml", $$"""
            name: slow
            sequence:
              - tests:
                  - name: hangs
                    command: 'sleep {{marker}} & sleep {{marker}}; echo never'
                    timeout: 2s
                  - name: after
                    command: ["true"]
            """);

        var result = await work.RunAsync("run", "slow.spec.yml", "--junit", "junit.xml");

        result.ExpectExit(1).ExpectNoStackTrace();
        var failure = ResultFiles.TestCase(work.Xml("junit.xml"), "hangs").Element("failure")!;
        StringAssert.Contains((string?)failure.Attribute("message"), "timed out after 2s");
        ResultFiles.AssertJUnitCounts(work.Xml("junit.xml"), tests: 2, failures: 1, skipped: 0);
        await ProcessTable.AssertNoneAsync($"sleep {marker}");
    }

    [TestMethod]
    public async Task Usage_errors_exit_two_without_stack_traces()
    {
        using var work = new WorkFolder();
        var spec = RepositoryFiles.Path("samples", "specs", "smoke.spec.yml");
        var cases = new[]
        {
            (Args: Array.Empty<string>(), Says: "command"),
            (Args: new[] { "run" }, Says: "spec"),
            (Args: new[] { "validate" }, Says: "spec"),
            (Args: new[] { "frobnicate" }, Says: "frobnicate"),
            (Args: new[] { "run", spec, "--bogus" }, Says: "unknown option '--bogus'"),
            (Args: new[] { "run", "--junit" }, Says: "--junit"),
            (Args: new[] { "run", spec, "--timeout", "soon" }, Says: "--timeout 'soon' is not a duration"),
            (Args: new[] { "run", spec, "--junit", "." }, Says: "is a folder"),
            (Args: new[] { "run", spec, "--results", spec }, Says: "is a file"),
            (Args: new[] { "run", spec, "--junit", "same.xml", "--trx", "same.xml" }, Says: "the same file"),
        };

        foreach (var (args, says) in cases)
        {
            var result = await work.RunAsync(args);
            Assert.AreEqual(2, result.ExitCode, $"devicetest {string.Join(' ', args)}\n{result.Both}");
            result.ExpectNoStackTrace();
            StringAssert.Contains(result.Stderr, says, $"devicetest {string.Join(' ', args)}");
        }
    }

    [TestMethod]
    public async Task Version_and_help_exit_zero()
    {
        using var work = new WorkFolder();
        var version = (await work.RunAsync("--version")).ExpectExit(0);
        StringAssert.StartsWith(version.Stdout.Trim(), "0.");

        var help = (await work.RunAsync("run", "--help")).ExpectExit(0);
        foreach (var option in new[] { "--device", "--devices", "--junit", "--trx", "--results", "--timeout" })
        {
            StringAssert.Contains(help.Stdout, option);
        }
    }
}
