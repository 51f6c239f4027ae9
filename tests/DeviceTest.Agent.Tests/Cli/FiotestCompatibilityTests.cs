using System.Diagnostics;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>
/// fiotest's README specs run unchanged with <c>devicetest run</c> on the local device. Their command is fiotest's
/// LTP wrapper, <c>/usr/share/fio-tests/ltp.sh</c>: as root, the tests put a small stand-in there (a fiotest-style
/// sub-result in <c>$TEST_DIR</c>, an artifact in <c>$ARTIFACTS_DIR</c>) and remove it afterwards; otherwise they
/// are skipped.
/// </summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class FiotestCompatibilityTests
{
    private const string Folder = "/usr/share/fio-tests";
    private const string Script = Folder + "/ltp.sh";
    private const string Marker = "# devicetest e2e stand-in for fiotest's LTP wrapper";

    private const string StandIn = $$"""
        #!/bin/sh
        {{Marker}} (DeviceTest.Agent.Tests creates and removes it)
        set -e
        echo "ltp stand-in: running syscalls"
        d="$TEST_DIR/$(date +%s.%N)-syscalls"
        mkdir -p "$d/metrics"
        echo 42 > "$d/metrics/cases"
        echo "ltp stand-in log" > "$ARTIFACTS_DIR/ltp.log"

        """;

    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);
    private static bool createdFolder;
    private static bool createdScript;
    private static string? unavailable;

    [ClassInitialize]
    public static void InstallStandIn(TestContext context)
    {
        _ = context;
        if (!OperatingSystem.IsLinux() || !IsRoot())
        {
            unavailable = $"needs root to create {Script} (fiotest's LTP wrapper path the examples name)";
            return;
        }

        if (File.Exists(Script))
        {
            if (!File.ReadAllText(Script).Contains(Marker, StringComparison.Ordinal))
            {
                unavailable = $"{Script} exists and is not the tests' stand-in; not touching it";
            }

            return;
        }

        createdFolder = !Directory.Exists(Folder);
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Script, StandIn);
        File.SetUnixFileMode(Script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        createdScript = true;
    }

    [ClassCleanup]
    public static void RemoveStandIn()
    {
        if (createdScript)
        {
            File.Delete(Script);
        }

        if (createdFolder && Directory.Exists(Folder) && !Directory.EnumerateFileSystemEntries(Folder).Any())
        {
            Directory.Delete(Folder);
        }
    }

    [TestMethod]
    public async Task Single_runs_LTP_once()
    {
        using var work = Prepare();

        var result = await work.RunAsync("run", RepositoryFiles.FiotestExample("single.yml"), "--junit", "junit.xml", "--trx", "results.trx", "--results", "results");

        result.ExpectExit(0).ExpectNoStackTrace();
        var junit = work.Xml("junit.xml");
        // The run and the stand-in's sub-result, which JUnit shows as its own testcase.
        ResultFiles.AssertJUnitCounts(junit, tests: 2, failures: 0, skipped: 0);
        CollectionAssert.AreEqual(new[] { "ltp", "ltp/syscalls" }, ResultFiles.TestCases(junit).Select(t => (string?)t.Attribute("name")).ToArray());
        var ltp = ResultFiles.TestCase(junit, "ltp");
        Assert.AreEqual("single", (string?)ltp.Attribute("classname"));
        StringAssert.Contains(ltp.Element("system-out")!.Value, "syscalls");
        StringAssert.Contains(ltp.Element("system-out")!.Value, "[[ATTACHMENT|" + work.File("results/single/01-ltp/artifacts/ltp.log") + "]]");
        ResultFiles.AssertTrxCounts(work.Xml("results.trx"), total: 1, passed: 1, failed: 0);
        StringAssert.Contains(File.ReadAllText(work.File("results/single/01-ltp/console.log")), "ltp stand-in: running syscalls");
    }

    [TestMethod]
    public async Task Repeat_four_runs_four_times_five_seconds_apart()
    {
        using var work = Prepare();
        var watch = Stopwatch.StartNew();

        var result = await work.RunAsync("run", RepositoryFiles.FiotestExample("repeat-4.yml"), "--junit", "junit.xml");

        result.ExpectExit(0).ExpectNoStackTrace();
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(14.5), watch.Elapsed, "three 5 s delays between four runs");
        ResultFiles.AssertJUnitCounts(work.Xml("junit.xml"), tests: 8, failures: 0, skipped: 0); // four runs, each with its sub-result
        for (var i = 1; i <= 4; i++)
        {
            StringAssert.Contains(result.Stdout, $"PASS  repeat-4 > ltp #{i} ");
        }

        StringAssert.Contains(result.Stdout, "4 passed, 0 failed, 0 skipped");
    }

    [TestMethod]
    public async Task Reboot_step_is_skipped_on_local_and_both_runs_pass()
    {
        using var work = Prepare();

        var result = await work.RunAsync("run", RepositoryFiles.FiotestExample("reboot.yml"), "--junit", "junit.xml");

        result.ExpectExit(0).ExpectNoStackTrace();
        StringAssert.Contains(result.Stdout, "NOTE  reboot at ");
        StringAssert.Contains(result.Stdout, "skipped on device 'local'");
        ResultFiles.AssertJUnitCounts(work.Xml("junit.xml"), tests: 4, failures: 0, skipped: 0);
        CollectionAssert.AreEqual(
            new[] { "ltp (step 1)", "ltp (step 1)/syscalls", "ltp (step 3)", "ltp (step 3)/syscalls" },
            ResultFiles.TestCases(work.Xml("junit.xml")).Select(t => (string?)t.Attribute("name")).ToArray());
        StringAssert.Contains(result.Stdout, "2 passed, 0 failed, 0 skipped");
    }

    [TestMethod]
    public async Task Soak_stops_promptly_on_Ctrl_C_during_its_ten_minute_delay()
    {
        using var work = Prepare();
        using var run = DeviceTestProcess.Start(work.Path, ["run", RepositoryFiles.FiotestExample("soak.yml"), "--junit", "junit.xml", "--trx", "results.trx"]);
        run.WaitForLine(l => l.Contains("PASS  soak > ltp #1 ", StringComparison.Ordinal), Generous, "the first result");
        await Task.Delay(TimeSpan.FromSeconds(1)); // into the 600 s delay

        var watch = Stopwatch.StartNew();
        run.Signal("INT");
        var result = await run.WaitAsync(Generous);

        Assert.IsLessThan(TimeSpan.FromSeconds(30), watch.Elapsed, "the delay between runs must be interruptible");
        result.ExpectExit(0).ExpectNoStackTrace();
        StringAssert.Contains(result.Stdout, "1 passed, 0 failed, 0 skipped");
        ResultFiles.AssertJUnitCounts(work.Xml("junit.xml"), tests: 2, failures: 0, skipped: 0); // the run and its sub-result
        ResultFiles.AssertTrxCounts(work.Xml("results.trx"), total: 1, passed: 1, failed: 0);
    }

    private static WorkFolder Prepare()
    {
        if (unavailable is not null)
        {
            DeviceTest.Lab.LabRequirement.Missing(unavailable);
        }

        return new WorkFolder();
    }

    private static bool IsRoot()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return line is not null && line.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0";
    }
}
