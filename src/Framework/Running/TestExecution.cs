using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using DeviceTest.Framework.Results;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Runs one execution of one spec test and reports it: a fresh results folder
/// (<c>&lt;results&gt;/&lt;spec&gt;/&lt;NN&gt;-&lt;test&gt;[/&lt;iteration&gt;]</c>) with the combined output streamed to
/// <c>console.log</c>; the command through the <see cref="ITestCommandRunner"/>; the fetched <c>TEST_DIR</c> turned
/// into sub-results and <c>ARTIFACTS_DIR</c> into attachments; the verdict (exit code, timeout, failure) with the last
/// lines of output; the result.
/// </summary>
/// <remarks>
/// A lost device (<see cref="DeviceLostException"/>) fails the test and is brought back with
/// <see cref="IDevice.EnsureReadyAsync"/>; if that fails, or the device is unreachable, the test is reported failed and
/// <see cref="DeviceUnreachableException"/> ends the run. Cancelled: the test is not reported (its output so far stays
/// in its console.log and the observer gets a message).
/// </remarks>
internal sealed class TestExecution(SpecRun run, ITestCommandRunner commands)
{
    public async Task RunAsync(SpecTest test, TestRound round, CancellationToken cancellationToken)
    {
        var clock = run.Options.TimeProvider;
        var result = run.ResultOf(test, round);
        var folder = ResultsLayout.TestFolder(run.Root, run.Spec.Name, run.Ordinal(test), test.UniqueName, result.Iteration, round.IsRepeated);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var consolePath = Path.Combine(folder, "console.log");
        result = result with { StartTime = clock.GetUtcNow() };
        var started = clock.GetTimestamp();
        run.Observer.OnTestStarted(result.Started());

        var timeout = test.Timeout ?? run.Options.DefaultTimeout;
        var problems = new List<string>();
        TestCommandOutcome outcome;
        IReadOnlyList<string> lastLines;
        using (var console = new ConsoleLogWriter(consolePath))
        {
            var command = new TestCommand
            {
                Command = test.Command,
                Environment = WithRunEnvironment(test.Environment, run.Options.Environment, run.Device.Name),
                Timeout = timeout,
                Output = console,
                FetchTo = Path.Combine(folder, ".device"),
                Following = round.Following,
            };
            try
            {
                outcome = await commands.RunAsync(command, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                run.Observer.OnMessage(run.Temporary
                    ? $"cancelled: test '{test.UniqueName}' ({test.Position}) was stopped before it finished and is not reported"
                    : $"cancelled: test '{test.UniqueName}' ({test.Position}) was stopped before it finished and is not reported; its output so far is in {consolePath}");
                throw;
            }

            lastLines = console.LastLines();
            if (console.WriteError is { } writeError)
            {
                problems.Add($"console.log could not be written completely: {writeError}");
            }
        }

        problems.AddRange(outcome.Problems);
        var failure = outcome.Failure;
        var subResults = (IReadOnlyList<SubResult>)[];
        List<string> attachments = [consolePath];
        if (outcome.Fetched is { } fetched)
        {
            try
            {
                subResults = ReadFetched(fetched, folder, attachments, problems);
            }
            catch (Exception e)
            {
                // Reading the fetched folders locally failed (disk full, a file the device made unreadable...).
                var message = $"could not fetch TEST_DIR and ARTIFACTS_DIR from device '{run.Device.Name}': {e.Message}";
                failure ??= message;
                problems.Add(message);
            }
            finally
            {
                ResultsRoot.TryDelete(fetched);
            }
        }

        foreach (var warning in outcome.Warnings)
        {
            run.Observer.OnMessage(warning);
        }

        foreach (var problem in problems)
        {
            run.Observer.OnMessage($"{run.Spec.Name}/{test.UniqueName}: {problem}");
        }

        var (verdict, why) = Verdict(outcome.Result, failure, timeout);
        if (verdict == TestOutcome.Failed && outcome.Unreachable is null
            && await FailureScreenshot.TryCaptureAsync(run.Device, folder, run.Observer.OnMessage, cancellationToken) is { } screenshot)
        {
            attachments.Add(screenshot);
        }

        result = result with
        {
            Outcome = verdict,
            Message = why,
            Details = Details(verdict, lastLines, problems),
            Duration = clock.GetElapsedTime(started),
            Command = outcome.Result,
            SubResults = subResults,
            Attachments = attachments,
        };
        await run.ReportAsync(result.Build(), cancellationToken);
        if (run.Temporary)
        {
            ResultsRoot.TryDelete(folder);
        }

        if (outcome.Unreachable is { } unreachable)
        {
            ExceptionDispatchInfo.Capture(unreachable).Throw();
        }

        if (outcome.Lost)
        {
            await RecoverAsync(test, cancellationToken);
        }
    }

    /// <summary>Removes what tests left on the device for later (see <see cref="ITestCommandRunner.FinishAsync"/>).</summary>
    public async Task FinishAsync(bool cancelled)
    {
        foreach (var warning in await commands.FinishAsync(cancelled))
        {
            run.Observer.OnMessage(warning);
        }
    }

    /// <summary>Sub-results from the fetched <c>results/</c>; files of <c>artifacts/</c> moved next to console.log and attached.</summary>
    private static IReadOnlyList<SubResult> ReadFetched(string fetched, string folder, List<string> attachments, List<string> problems)
    {
        var subResults = SubResultReader.Read(Path.Combine(fetched, "results"), problems);
        var fetchedArtifacts = Path.Combine(fetched, "artifacts");
        if (Directory.Exists(fetchedArtifacts) && Directory.EnumerateFiles(fetchedArtifacts, "*", SearchOption.AllDirectories).Any())
        {
            var artifacts = Path.Combine(folder, "artifacts");
            Directory.Move(fetchedArtifacts, artifacts);
            attachments.AddRange(Directory.EnumerateFiles(artifacts, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        }

        return subResults;
    }

    private static (TestOutcome Outcome, string? Message) Verdict(CommandResult? command, string? failure, TimeSpan timeout)
    {
        if (command is null || (failure is not null && command.Succeeded))
        {
            return (TestOutcome.Failed, failure);
        }

        if (command.TimedOut)
        {
            return (TestOutcome.Failed, $"timed out after {DurationText.Format(timeout)} (process group killed)");
        }

        if (command.ExitCode != 0)
        {
            return (TestOutcome.Failed, string.Create(CultureInfo.InvariantCulture, $"exit code {command.ExitCode}"));
        }

        return (TestOutcome.Passed, null);
    }

    private static string? Details(TestOutcome outcome, IReadOnlyList<string> lastLines, List<string> problems)
    {
        if (outcome == TestOutcome.Passed && problems.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var problem in problems)
        {
            builder.AppendLine(problem);
        }

        if (outcome == TestOutcome.Failed)
        {
            builder.AppendLine(CultureInfo.InvariantCulture, $"Last {ConsoleLogWriter.TailLines} lines of output:");
            if (lastLines.Count == 0)
            {
                builder.AppendLine("(no output)");
            }

            foreach (var line in lastLines)
            {
                builder.AppendLine(line);
            }
        }

        return builder.ToString().TrimEnd('\n', '\r');
    }

    private async Task RecoverAsync(SpecTest test, CancellationToken cancellationToken)
    {
        var device = run.Device;
        var timeout = run.Options.DefaultRebootTimeout;
        run.Observer.OnMessage($"device '{device.Name}' was lost during test '{test.UniqueName}' ({test.Position}); bringing it back");
        try
        {
            await device.EnsureReadyAsync(timeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new DeviceUnreachableException(
                $"device '{device.Name}' was lost during test '{test.UniqueName}' ({test.Position}) and did not come back " +
                $"within {DurationText.Format(timeout)}: {e.Message}",
                e);
        }
    }

    /// <summary>
    /// The spec's <c>env</c> with the run's variables (<see cref="RunOptions.Environment"/>) over it, and
    /// <c>DEVICETEST_DEVICE</c>, the device's name, unless one of them sets it.
    /// </summary>
    private static Dictionary<string, string> WithRunEnvironment(
        IReadOnlyDictionary<string, string> spec, IReadOnlyDictionary<string, string> run, string deviceName)
    {
        var merged = new Dictionary<string, string>(spec, StringComparer.Ordinal);
        foreach (var (name, value) in run)
        {
            merged[name] = value;
        }

        merged.TryAdd(RunOptions.DeviceVariable, deviceName);
        return merged;
    }
}
