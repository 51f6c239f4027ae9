using DeviceTest.Agent.Progress;
using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using TestResult = DeviceTest.Framework.Results.TestResult;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>What the live progress prints: a ticking status line on a terminal, one line per result, the summary.</summary>
[TestClass]
public sealed class LiveProgressTests
{
    private static readonly TestSpec Spec = SpecLoader.LoadText(
        "name: soak\nsequence:\n  - tests:\n      - name: trivial\n        command: [\"true\"]\n    repeat: { total: 3 }\n",
        "soak.spec.yml").Spec!;

    [TestMethod]
    public async Task On_a_terminal_the_elapsed_time_ticks_until_the_test_ends()
    {
        var output = new SynchronizedWriter();
        await using (var progress = new LiveProgress(output, interactive: true))
        {
            progress.OnTestStarted(Started(1, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5)));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!output.Text.Contains("\r  ...   soak > trivial #1 (5.", StringComparison.Ordinal) &&
                   !output.Text.Contains("\r  ...   soak > trivial #1 (6.", StringComparison.Ordinal))
            {
                Assert.IsLessThan(deadline, DateTime.UtcNow, $"no ticking status line in: {output.Text}");
                await Task.Delay(100);
            }

            await progress.OnTestFinishedAsync(Result(1, TestOutcome.Passed), CancellationToken.None);
        }

        // The status line is cleared and replaced by the outcome.
        var text = output.Text;
        StringAssert.EndsWith(text, "  PASS  soak > trivial #1 (0.1s)" + Environment.NewLine);
    }

    [TestMethod]
    public async Task In_a_log_each_test_is_one_run_line_and_one_result_line_and_the_summary_has_one_row_per_test()
    {
        var output = new SynchronizedWriter();
        var progress = new LiveProgress(output, interactive: false);
        for (var i = 1; i <= 3; i++)
        {
            progress.OnTestStarted(Started(i, DateTimeOffset.UtcNow));
            await progress.OnTestFinishedAsync(Result(i, i == 2 ? TestOutcome.Failed : TestOutcome.Passed), CancellationToken.None);
        }

        await progress.DisposeAsync();

        Assert.DoesNotContain("\r", output.Text);
        var lines = output.Text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(
            new[]
            {
                "  RUN   soak > trivial #1", "  PASS  soak > trivial #1 (0.1s)",
                "  RUN   soak > trivial #2", "  FAIL  soak > trivial #2 (0.1s)  exit code 3",
                "  RUN   soak > trivial #3", "  PASS  soak > trivial #3 (0.1s)",
            },
            lines);
        var summary = progress.Summary.Render().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(3, summary, string.Join('\n', summary));
        StringAssert.Matches(summary[1], new System.Text.RegularExpressions.Regex(@"^\s+soak > trivial\s+FAIL\s+3\s+2\s+1\s+0\s"));
        Assert.AreEqual("2 passed, 1 failed, 0 skipped", summary[2]);
    }

    private static TestStarted Started(int iteration, DateTimeOffset startTime) => new()
    {
        TestId = Spec.ResultId(Spec.AllTests.First()),
        SuiteName = Spec.Name,
        Name = Spec.AllTests.First().UniqueName,
        Iteration = iteration,
        IsRepeated = true,
        StartTime = startTime,
    };

    private static TestResult Result(int iteration, TestOutcome outcome) => new()
    {
        TestId = "soak/0/trivial",
        SuiteName = "soak",
        Name = "trivial",
        Iteration = iteration,
        IsRepeated = true,
        Outcome = outcome,
        Message = outcome == TestOutcome.Failed ? "exit code 3\nmore" : null,
        StartTime = DateTimeOffset.UtcNow,
        Duration = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>A StringWriter the ticker thread and the test can share.</summary>
    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
            }
        }
    }
}
