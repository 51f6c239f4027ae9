using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Framework.Tests.Doubles;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Local;

namespace DeviceTest.Framework.Tests.Running;

/// <summary>
/// One test's execution apart from the sequence: what travels to the device is the command runner's business
/// (<see cref="WorkDirectoryTestRunner"/> today), what becomes of it is <see cref="TestExecution"/>'s.
/// </summary>
[TestClass]
public sealed class TestExecutionTests
{
    private string _results = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateResults() => _results = Directory.CreateTempSubdirectory("devicetest-execution-").FullName;

    [TestCleanup]
    public void DeleteResults() => Directory.Delete(_results, recursive: true);

    [TestMethod]
    public async Task The_work_directory_runner_on_this_machine_brings_TEST_DIR_and_ARTIFACTS_DIR_back_and_removes_the_work_directory()
    {
        await using var device = new LocalDevice();
        var output = new TextOutput();
        var fetchTo = Path.Combine(_results, ".device");
        var command = new TestCommand
        {
            Command = CommandLine.FromShell("mkdir \"$TEST_DIR/1-sub\" && echo 7 > \"$ARTIFACTS_DIR/a.txt\" && dirname \"$TEST_DIR\" && echo \"$MODE\""),
            Environment = new Dictionary<string, string> { ["MODE"] = "quick" },
            Timeout = TimeSpan.FromSeconds(30),
            Output = output,
            FetchTo = fetchTo,
        };

        var outcome = await new WorkDirectoryTestRunner(device).RunAsync(command, TestContext.CancellationToken);

        Assert.IsNull(outcome.Failure);
        Assert.AreEqual(0, outcome.Result!.ExitCode);
        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual("quick", lines[1]);
        Assert.IsFalse(Directory.Exists(lines[0]), "the work directory is removed");
        Assert.AreEqual(fetchTo, outcome.Fetched);
        Assert.IsTrue(Directory.Exists(Path.Combine(fetchTo, "results", "1-sub")));
        Assert.AreEqual("7\n", await File.ReadAllTextAsync(Path.Combine(fetchTo, "artifacts", "a.txt"), TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task A_runner_that_makes_no_work_directory_gives_the_same_result_files_and_attachments()
    {
        var spec = SpecBuilder.Named("seam").Tests(SpecBuilder.Test("a", "run-a")).Build();
        await using var device = new RecordingDevice("board");
        var observer = new RecordingObserver();
        var run = new SpecRun(spec, device, new RunOptions { ResultsDirectory = _results }, observer, new ResultsRoot(_results, Temporary: false));
        var runner = new CannedRunner(
            new CommandResult { ExitCode = 3, Stdout = "out\n", Stderr = string.Empty, Duration = TimeSpan.Zero },
            results: new Dictionary<string, string> { ["5-check/failed"] = string.Empty },
            artifacts: new Dictionary<string, string> { ["log.txt"] = "log" });

        await new TestExecution(run, runner).RunAsync(spec.AllTests.Single(), new TestRound(0, 1, false), TestContext.CancellationToken);

        var result = observer.Results.Single();
        var folder = Path.Combine(_results, "seam", "01-a");
        Assert.AreEqual(TestOutcome.Failed, result.Outcome);
        Assert.AreEqual("exit code 3", result.Message);
        StringAssert.Contains(result.Details, "Last 20 lines of output:\nout");
        Assert.AreEqual(("check", TestOutcome.Failed), (result.SubResults.Single().Name, result.SubResults.Single().Outcome));
        CollectionAssert.AreEqual(
            new[] { Path.Combine(folder, "console.log"), Path.Combine(folder, "artifacts", "log.txt") }, result.Attachments.ToArray());
        Assert.AreEqual("out\n", await File.ReadAllTextAsync(Path.Combine(folder, "console.log"), TestContext.CancellationToken));
        Assert.IsFalse(Directory.Exists(Path.Combine(folder, ".device")), "the fetched copy is cleared away");
        Assert.AreEqual(("run-a", "seam/0/a"), (runner.Ran, result.TestId));
        Assert.IsEmpty(device.Events, "the runner alone talks to the device");
    }

    [TestMethod]
    public async Task A_runner_s_failure_problems_and_warnings_reach_the_result_and_the_messages()
    {
        var spec = SpecBuilder.Named("seam").Tests(SpecBuilder.Test("a", "run-a")).Build();
        await using var device = new RecordingDevice("board");
        var observer = new RecordingObserver();
        var run = new SpecRun(spec, device, new RunOptions { ResultsDirectory = _results }, observer, new ResultsRoot(_results, Temporary: false));
        var runner = new CannedRunner(
            new CommandResult { ExitCode = 0, Stdout = string.Empty, Stderr = string.Empty, Duration = TimeSpan.Zero },
            failure: "could not fetch TEST_DIR and ARTIFACTS_DIR from device 'board': disk full",
            warning: "warning: could not remove /tmp/w on device 'board': busy");

        await new TestExecution(run, runner).RunAsync(spec.AllTests.Single(), new TestRound(0, 1, false), TestContext.CancellationToken);

        var result = observer.Results.Single();
        Assert.AreEqual(TestOutcome.Failed, result.Outcome, "a command that passed but whose files were lost fails");
        Assert.AreEqual("could not fetch TEST_DIR and ARTIFACTS_DIR from device 'board': disk full", result.Message);
        StringAssert.StartsWith(result.Details, "could not fetch TEST_DIR and ARTIFACTS_DIR from device 'board': disk full\n");
        CollectionAssert.AreEqual(
            new[]
            {
                "warning: could not remove /tmp/w on device 'board': busy",
                "seam/a: could not fetch TEST_DIR and ARTIFACTS_DIR from device 'board': disk full",
            },
            observer.Messages);
    }

    /// <summary>
    /// Stands in for any transport: it answers with a result and files, and never touches the device.
    /// </summary>
    private sealed class CannedRunner(
        CommandResult result,
        IReadOnlyDictionary<string, string>? results = null,
        IReadOnlyDictionary<string, string>? artifacts = null,
        string? failure = null,
        string? warning = null) : ITestCommandRunner
    {
        public string? Ran { get; private set; }

        public Task<TestCommandOutcome> RunAsync(TestCommand command, CancellationToken cancellationToken)
        {
            Ran = command.Command.ToString();
            command.Output.OnOutput(OutputKind.Stdout, result.Stdout);
            string? fetched = null;
            if (results is not null || artifacts is not null)
            {
                fetched = command.FetchTo;
                Write(Path.Combine(fetched, "results"), results);
                Write(Path.Combine(fetched, "artifacts"), artifacts);
            }

            return Task.FromResult(new TestCommandOutcome
            {
                Result = result,
                Failure = failure,
                Fetched = fetched,
                Problems = failure is null ? [] : [failure],
                Warnings = warning is null ? [] : [warning],
            });
        }

        public Task<IReadOnlyList<string>> FinishAsync(bool cancelled) => Task.FromResult<IReadOnlyList<string>>([]);

        private static void Write(string root, IReadOnlyDictionary<string, string>? files)
        {
            Directory.CreateDirectory(root);
            foreach (var (relative, content) in files ?? new Dictionary<string, string>())
            {
                var path = Path.Combine(root, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, content);
            }
        }
    }

    private sealed class TextOutput : IOutputObserver
    {
        private readonly System.Text.StringBuilder _text = new();

        public string Text => _text.ToString();

        public void OnOutput(OutputKind stream, ReadOnlySpan<char> text) => _text.Append(text);
    }
}
