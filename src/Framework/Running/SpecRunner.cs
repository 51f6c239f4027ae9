using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using DeviceTest.Framework.Results;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Runs a <see cref="TestSpec"/> on one device with fiotest's semantics: steps in order; each test of a
/// <c>tests:</c> step in order (a failing test does not stop the run); <c>repeat</c> runs the whole step
/// <c>total</c> times (≤ 0: until cancelled) with <c>delay_seconds</c> between runs; <c>reboot:</c> reboots the device
/// and goes on once it is back.
/// </summary>
/// <remarks>
/// <para>Each test execution gets a fresh work directory on the device (<c>mktemp -d</c>) with <c>results/</c> as
/// <c>TEST_DIR</c> and <c>artifacts/</c> as <c>ARTIFACTS_DIR</c>; afterwards it is fetched, turned into sub-results
/// and attachments, and removed. Combined output streams to <c>console.log</c> in the test's results folder
/// <c>&lt;results&gt;/&lt;spec&gt;/&lt;NN&gt;-&lt;test&gt;[/&lt;iteration&gt;]</c>.</para>
/// <para>Failure handling: a failed reboot fails every later selected test without running it ("device did not come
/// back after reboot at file:line"), once each, and the run ends normally. A <see cref="DeviceLostException"/> fails
/// the test ("device lost: ...") and the device is brought back with <see cref="IDevice.EnsureReadyAsync"/>; if that
/// fails, or the device throws <see cref="DeviceUnreachableException"/>, the current test is reported failed and a
/// <see cref="DeviceUnreachableException"/> ends the run (the CLI exits 3).</para>
/// <para>Cancellation: the device kills the running command; the interrupted test is not reported (its output so
/// far stays in its console.log and the observer gets a message); tests finished before were reported;
/// <see cref="RunAsync"/> returns with <see cref="SpecRunOutcome.Cancelled"/> set instead of throwing.</para>
/// </remarks>
public sealed class SpecRunner
{
    /// <summary>How much of each output stream a <see cref="TestResult"/> carries; console.log has everything.</summary>
    public const int MaxCapturedBytes = 1024 * 1024;

    private static readonly TimeSpan HousekeepingTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CleanupAfterCancelTimeout = TimeSpan.FromSeconds(10);

    private readonly IDevice _device;
    private readonly RunOptions _options;
    private readonly IRunObserver _observer;

    public SpecRunner(IDevice device, RunOptions options, IRunObserver observer)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        _device = device;
        _options = options;
        _observer = observer;
    }

    /// <summary>Runs <paramref name="spec"/>, reporting each test execution as it finishes.</summary>
    /// <exception cref="DeviceUnreachableException">The device could not be reached or brought back; results
    /// up to and including the failed test were reported.</exception>
    public async Task<SpecRunOutcome> RunAsync(TestSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var startTime = _options.TimeProvider.GetUtcNow();
        var temporary = _options.ResultsDirectory is null;
        var root = _options.ResultsDirectory is { } given
            ? Path.GetFullPath(given)
            : Directory.CreateTempSubdirectory("devicetest-results-").FullName;
        var run = new Run(spec, root, temporary);
        try
        {
            await RunSequenceAsync(run, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Cancelled = true;
        }
        finally
        {
            if (temporary)
            {
                TryDeleteDirectory(root);
            }
        }

        return new SpecRunOutcome
        {
            SpecName = spec.Name,
            StartTime = startTime,
            EndTime = _options.TimeProvider.GetUtcNow(),
            Passed = run.Passed,
            Failed = run.Failed,
            Skipped = run.Skipped,
            Cancelled = run.Cancelled,
        };
    }

    private async Task RunSequenceAsync(Run run, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var selected = spec.Sequence
            .Select(step => step is TestsStep tests ? tests.Tests.Where(Selected).ToArray() : [])
            .ToArray();
        var missingTags = MissingTags(spec);
        string? rebootFailure = null;

        var startAt = _options.StartAt ?? RunPosition.Start;
        for (var index = Math.Max(0, startAt.StepIndex); index < spec.Sequence.Count; index++)
        {
            var resumeHere = index == startAt.StepIndex ? startAt : null;
            cancellationToken.ThrowIfCancellationRequested();
            switch (spec.Sequence[index])
            {
                case RebootStep reboot:
                    if (rebootFailure is null && missingTags.Count == 0 && RebootBelongsToRun(spec, selected, index))
                    {
                        rebootFailure = await RebootAsync(reboot, cancellationToken);
                    }

                    break;

                case TestsStep step when selected[index].Length > 0:
                    if (missingTags.Count > 0)
                    {
                        var message = $"requires tag(s) {string.Join(", ", missingTags)}, which device '{_device.Name}' does not have";
                        await ReportWithoutRunningAsync(run, step, selected[index], TestOutcome.Skipped, message, resumeHere, cancellationToken);
                    }
                    else if (rebootFailure is not null)
                    {
                        await ReportWithoutRunningAsync(run, step, selected[index], TestOutcome.Failed, rebootFailure, resumeHere, cancellationToken);
                    }
                    else
                    {
                        await RunTestsStepAsync(run, step, selected[index], resumeHere, cancellationToken);
                    }

                    break;
            }
        }
    }

    private bool Selected(SpecTest test) => _options.TestFilter?.Invoke(test) ?? true;

    /// <summary>
    /// Without a filter every reboot step runs. With one, a reboot runs when a selected test comes after it, or when
    /// no test comes after it (it ends the spec) and the last tests step before it has a selected test.
    /// </summary>
    private bool RebootBelongsToRun(TestSpec spec, SpecTest[][] selected, int index)
    {
        if (_options.TestFilter is null)
        {
            return true;
        }

        if (selected.Skip(index + 1).Any(tests => tests.Length > 0))
        {
            return true;
        }

        if (spec.Sequence.Skip(index + 1).OfType<TestsStep>().Any(step => step.Tests.Count > 0))
        {
            return false;
        }

        for (var before = index - 1; before >= 0; before--)
        {
            if (spec.Sequence[before] is TestsStep { Tests.Count: > 0 })
            {
                return selected[before].Length > 0;
            }
        }

        return false;
    }

    private List<string> MissingTags(TestSpec spec) =>
        [.. spec.RequiredTags.Where(tag => !_device.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase))];

    private async Task RunTestsStepAsync(
        Run run, TestsStep step, SpecTest[] tests, RunPosition? resumeAt, CancellationToken cancellationToken)
    {
        var repeat = step.Repeat;
        var isRepeated = repeat is not null && repeat.Total != 1;
        var forever = repeat is not null && repeat.IsForever;
        var total = repeat?.Total ?? 1;
        var delay = TimeSpan.FromSeconds(Math.Max(0, repeat?.DelaySeconds ?? 0));

        // Iterative on purpose: a soak run loops forever in constant stack and memory.
        var firstIteration = Math.Max(1, resumeAt?.Iteration ?? 1);
        var firstTest = Math.Max(0, resumeAt?.TestIndex ?? 0);
        for (var iteration = firstIteration; ; iteration++)
        {
            foreach (var test in tests)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var testIndex = IndexOf(step, test);
                if (iteration == firstIteration && testIndex < firstTest)
                {
                    continue;
                }

                if (_options.BeforeTest is { } beforeTest)
                {
                    await beforeTest(test, new RunPosition(step.Index, testIndex, iteration), cancellationToken);
                }

                await RunTestAsync(run, step, test, (int)Math.Min(iteration, int.MaxValue), isRepeated, cancellationToken);
            }

            if (!forever && iteration >= total)
            {
                return;
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _options.TimeProvider, cancellationToken);
            }
        }
    }

    private static int IndexOf(TestsStep step, SpecTest test)
    {
        for (var i = 0; i < step.Tests.Count; i++)
        {
            if (ReferenceEquals(step.Tests[i], test))
            {
                return i;
            }
        }

        return -1;
    }

    private async Task<string?> RebootAsync(RebootStep reboot, CancellationToken cancellationToken)
    {
        if (_options.BeforeReboot is { } beforeReboot)
        {
            await beforeReboot(reboot, cancellationToken);
        }

        _observer.OnRebootStarted(reboot);
        var started = _options.TimeProvider.GetTimestamp();
        RebootOutcome outcome;
        string? failure = null;
        try
        {
            outcome = await _device.RebootAsync(reboot.Command, reboot.Timeout ?? _options.DefaultRebootTimeout, cancellationToken);
            if (!outcome.Rebooted && !outcome.Skipped)
            {
                failure = outcome.Details;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = e.Message;
            outcome = new RebootOutcome
            {
                Rebooted = false,
                Details = $"failed: {e.Message}",
                Duration = _options.TimeProvider.GetElapsedTime(started),
            };
        }

        _observer.OnRebootFinished(reboot, outcome);
        if (outcome.Skipped)
        {
            _observer.OnMessage($"reboot at {reboot.Position} skipped on device '{_device.Name}': {outcome.Details}");
        }

        if (failure is null && outcome.Rebooted && _options.AfterReboot is { } afterReboot)
        {
            try
            {
                await afterReboot(reboot, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var afterMessage = $"the device came back after reboot at {reboot.Position.File}:{reboot.Position.Line}, but {e.Message}";
                _observer.OnMessage($"device '{_device.Name}': {afterMessage}; the remaining tests are reported failed without running");
                return afterMessage;
            }
        }

        if (failure is null)
        {
            return null;
        }

        var message = $"device did not come back after reboot at {reboot.Position.File}:{reboot.Position.Line}: {failure}";
        _observer.OnMessage($"device '{_device.Name}': {message}; the remaining tests are reported failed without running");
        return message;
    }

    private async Task ReportWithoutRunningAsync(
        Run run, TestsStep step, SpecTest[] tests, TestOutcome outcome, string message, RunPosition? resumeAt,
        CancellationToken cancellationToken)
    {
        // Reported once each, even for repeated steps: nothing would change between iterations.
        var isRepeated = step.Repeat is { Total: not 1 };
        foreach (var test in tests)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var testIndex = IndexOf(step, test);
            if (resumeAt is not null && (resumeAt.Iteration > 1 || testIndex < resumeAt.TestIndex))
            {
                continue;
            }

            if (_options.BeforeTest is { } beforeTest)
            {
                await beforeTest(test, new RunPosition(step.Index, testIndex, 1), cancellationToken);
            }

            var now = _options.TimeProvider.GetUtcNow();
            _observer.OnTestStarted(new TestStarted(run.Spec, test, 1, isRepeated, now));

            var result = NewResult(run, step, test, 1, isRepeated, outcome, message, null, now, TimeSpan.Zero, null, [], [], []);
            await ReportAsync(run, result, cancellationToken);
        }
    }

    private async Task RunTestAsync(
        Run run, TestsStep step, SpecTest test, int iteration, bool isRepeated, CancellationToken cancellationToken)
    {
        var folder = ResultsLayout.TestFolder(run.Root, run.Spec.Name, run.Ordinal(test), test.UniqueName, iteration, isRepeated);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var consolePath = Path.Combine(folder, "console.log");
        var startTime = _options.TimeProvider.GetUtcNow();
        var started = _options.TimeProvider.GetTimestamp();
        _observer.OnTestStarted(new TestStarted(run.Spec, test, iteration, isRepeated, startTime));

        var timeout = test.Timeout ?? _options.DefaultTimeout;
        string? workDir = null;
        CommandResult? command = null;
        string? failure = null;
        Exception? unreachable = null;
        var lost = false;
        var problems = new List<string>();
        IReadOnlyList<SubResult> subResults = [];
        List<string> attachments = [consolePath];
        IReadOnlyList<string> lastLines;

        using (var console = new ConsoleLogWriter(consolePath))
        {
            try
            {
                workDir = await CreateWorkDirectoryAsync(cancellationToken);
                command = await _device.RunAsync(
                    new CommandRequest(test.Command)
                    {
                        Environment = TestEnvironment(test, workDir, _options.Environment),
                        Timeout = timeout,
                        MaxCapturedBytes = MaxCapturedBytes,
                        Output = console,
                    },
                    cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await AbandonAsync(run, test, consolePath, workDir);
                throw;
            }
            catch (DeviceUnreachableException e)
            {
                unreachable = e;
                failure = $"device unreachable: {e.Message}";
            }
            catch (DeviceLostException e)
            {
                lost = true;
                failure = e.Message.StartsWith("device lost", StringComparison.OrdinalIgnoreCase) ? e.Message : $"device lost: {e.Message}";
            }
            catch (Exception e)
            {
                // Also an OperationCanceledException that is not ours (a device's own timeout).
                failure = e is WorkDirectoryException
                    ? e.Message
                    : $"could not run the test on device '{_device.Name}': {e.Message}";
            }

            lastLines = console.LastLines();
            if (console.WriteError is { } writeError)
            {
                problems.Add($"console.log could not be written completely: {writeError}");
            }
        }

        if (workDir is not null && unreachable is null && !lost)
        {
            try
            {
                subResults = await FetchAsync(workDir, folder, attachments, problems, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await AbandonAsync(run, test, consolePath, workDir);
                throw;
            }
            catch (DeviceUnreachableException e)
            {
                unreachable = e;
                failure ??= $"device unreachable: {e.Message}";
            }
            catch (Exception e)
            {
                var message = $"could not fetch TEST_DIR and ARTIFACTS_DIR from device '{_device.Name}': {e.Message}";
                failure ??= message;
                problems.Add(message);
            }

            if (unreachable is null)
            {
                await RemoveWorkDirectoryAsync(workDir, cancellationToken);
            }
        }

        foreach (var problem in problems)
        {
            _observer.OnMessage($"{run.Spec.Name}/{test.UniqueName}: {problem}");
        }

        var (outcome, verdict) = Verdict(command, failure, timeout);
        var result = NewResult(
            run, step, test, iteration, isRepeated, outcome, verdict, Details(outcome, lastLines, problems),
            startTime, _options.TimeProvider.GetElapsedTime(started), command, subResults, attachments, problems);
        await ReportAsync(run, result, cancellationToken);
        if (run.Temporary)
        {
            TryDeleteDirectory(folder);
        }

        if (unreachable is not null)
        {
            ExceptionDispatchInfo.Capture(unreachable).Throw();
        }

        if (lost)
        {
            await RecoverAsync(test, cancellationToken);
        }
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

    private TestResult NewResult(
        Run run,
        TestsStep step,
        SpecTest test,
        int iteration,
        bool isRepeated,
        TestOutcome outcome,
        string? message,
        string? details,
        DateTimeOffset startTime,
        TimeSpan duration,
        CommandResult? command,
        IReadOnlyList<SubResult> subResults,
        IReadOnlyList<string> attachments,
        IReadOnlyList<string> problems)
    {
        var exitCode = command is { TimedOut: false } ? command.ExitCode : (int?)null;
        var properties = new List<KeyValuePair<string, string>>
        {
            new("spec", run.Spec.Name),
            new("step", (step.Index + 1).ToString(CultureInfo.InvariantCulture)),
            new("device", _device.Name),
        };
        if (run.Spec.RequiredTags.Count > 0)
        {
            properties.Add(new("tags", string.Join(",", run.Spec.RequiredTags)));
        }

        if (subResults.Count > 0)
        {
            properties.Add(new("subresults.passed", Count(subResults, TestOutcome.Passed)));
            properties.Add(new("subresults.failed", Count(subResults, TestOutcome.Failed)));
            properties.Add(new("subresults.skipped", Count(subResults, TestOutcome.Skipped)));
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var sub in subResults)
        {
            foreach (var (name, value) in sub.Metrics)
            {
                metrics[$"{sub.Name}.{name}"] = value;
            }
        }

        var stdout = command?.Stdout ?? string.Empty;
        if (command is { OutputTruncated: true })
        {
            stdout += $"\n[output cut at {MaxCapturedBytes / 1024} KiB per stream; console.log has all of it]";
        }

        return new TestResult
        {
            TestId = string.Create(CultureInfo.InvariantCulture, $"{run.Spec.Name}/{step.Index}/{test.UniqueName}"),
            SuiteName = run.Spec.Name,
            Name = test.UniqueName,
            Iteration = iteration,
            IsRepeated = isRepeated,
            Outcome = outcome,
            Message = message,
            Details = details,
            StartTime = startTime,
            Duration = duration,
            ExitCode = exitCode,
            Stdout = stdout,
            Stderr = command?.Stderr ?? string.Empty,
            SourceFile = test.Position.File,
            SourceLine = test.Position.Line,
            SubResults = subResults,
            Metrics = metrics,
            Attachments = attachments,
            Properties = properties,
        };

        static string Count(IReadOnlyList<SubResult> results, TestOutcome outcome) =>
            results.Count(r => r.Outcome == outcome).ToString(CultureInfo.InvariantCulture);
    }

    private async Task ReportAsync(Run run, TestResult result, CancellationToken cancellationToken)
    {
        await _observer.OnTestFinishedAsync(result, cancellationToken);
        switch (result.Outcome)
        {
            case TestOutcome.Passed:
                run.Passed++;
                break;
            case TestOutcome.Failed:
                run.Failed++;
                break;
            default:
                run.Skipped++;
                break;
        }
    }

    private static Dictionary<string, string> TestEnvironment(SpecTest test, string workDir, IReadOnlyDictionary<string, string> runEnvironment)
    {
        var environment = new Dictionary<string, string>(test.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in runEnvironment)
        {
            environment[name] = value;
        }

        environment["TEST_DIR"] = workDir + "/results";
        environment["ARTIFACTS_DIR"] = workDir + "/artifacts";
        return environment;
    }

    private async Task<string> CreateWorkDirectoryAsync(CancellationToken cancellationToken)
    {
        var result = await _device.RunAsync(
            new CommandRequest(CommandLine.FromShell(WorkDirectoryCommand)) { Timeout = HousekeepingTimeout },
            cancellationToken);
        var path = result.Stdout.Trim();
        if (!result.Succeeded || !path.StartsWith('/') || path.Contains('\n', StringComparison.Ordinal))
        {
            var why = result.TimedOut
                ? $"timed out after {DurationText.Format(HousekeepingTimeout)}"
                : $"exit code {result.ExitCode}: {result.Stderr.Trim()}";
            throw new WorkDirectoryException(
                $"could not create a work directory (TEST_DIR, ARTIFACTS_DIR) on device '{_device.Name}' with " +
                $"'{WorkDirectoryCommand}': {why}");
        }

        return path;
    }

    /// <summary>The shell command that makes a test's work directory on the device and prints its path.</summary>
    internal const string WorkDirectoryCommand =
        "d=$(mktemp -d \"${TMPDIR:-/tmp}/devicetest.XXXXXX\") && mkdir \"$d/results\" \"$d/artifacts\" && printf '%s\\n' \"$d\"";

    private async Task<IReadOnlyList<SubResult>> FetchAsync(
        string workDir, string folder, List<string> attachments, List<string> problems, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(folder, ".device");
        try
        {
            await _device.Files.GetDirectoryAsync(workDir, staging, cancellationToken);
            var subResults = SubResultReader.Read(Path.Combine(staging, "results"), problems);
            var fetchedArtifacts = Path.Combine(staging, "artifacts");
            if (Directory.Exists(fetchedArtifacts) && Directory.EnumerateFiles(fetchedArtifacts, "*", SearchOption.AllDirectories).Any())
            {
                var artifacts = Path.Combine(folder, "artifacts");
                Directory.Move(fetchedArtifacts, artifacts);
                attachments.AddRange(
                    Directory.EnumerateFiles(artifacts, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }

            return subResults;
        }
        finally
        {
            TryDeleteDirectory(staging);
        }
    }

    /// <summary>
    /// Removes the work dir. The test has finished by then, so Ctrl+C does not interrupt this at once (the result is
    /// still reported); it only bounds the wait to a few seconds.
    /// </summary>
    private async Task RemoveWorkDirectoryAsync(string workDir, CancellationToken cancellationToken)
    {
        using var bounded = new CancellationTokenSource();
        using var onCancel = cancellationToken.Register(() => bounded.CancelAfter(CleanupAfterCancelTimeout));
        try
        {
            var result = await _device.RunAsync(
                new CommandRequest(CommandLine.FromArguments("rm", "-rf", "--", workDir)) { Timeout = HousekeepingTimeout },
                bounded.Token);
            if (!result.Succeeded)
            {
                _observer.OnMessage($"warning: could not remove {workDir} on device '{_device.Name}': {result.Stderr.Trim()}");
            }
        }
        catch (Exception e)
        {
            _observer.OnMessage($"warning: could not remove {workDir} on device '{_device.Name}': {e.Message}");
        }
    }

    /// <summary>After Ctrl+C: best-effort removal of the work dir (bounded), and a word about the unreported test.</summary>
    private async Task AbandonAsync(Run run, SpecTest test, string consolePath, string? workDir)
    {
        if (workDir is not null)
        {
            using var cleanup = new CancellationTokenSource(CleanupAfterCancelTimeout);
            try
            {
                await _device.RunAsync(
                    new CommandRequest(CommandLine.FromArguments("rm", "-rf", "--", workDir)) { Timeout = CleanupAfterCancelTimeout },
                    cleanup.Token);
            }
            catch (Exception)
            {
                // Best effort: the run is being cancelled.
            }
        }

        _observer.OnMessage(run.Temporary
            ? $"cancelled: test '{test.UniqueName}' ({test.Position}) was stopped before it finished and is not reported"
            : $"cancelled: test '{test.UniqueName}' ({test.Position}) was stopped before it finished and is not reported; its output so far is in {consolePath}");
    }

    private async Task RecoverAsync(SpecTest test, CancellationToken cancellationToken)
    {
        _observer.OnMessage($"device '{_device.Name}' was lost during test '{test.UniqueName}' ({test.Position}); bringing it back");
        try
        {
            await _device.EnsureReadyAsync(_options.DefaultRebootTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new DeviceUnreachableException(
                $"device '{_device.Name}' was lost during test '{test.UniqueName}' ({test.Position}) and did not come back " +
                $"within {DurationText.Format(_options.DefaultRebootTimeout)}: {e.Message}",
                e);
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>State of one <see cref="RunAsync"/> call: counts only, nothing per test execution.</summary>
    private sealed class Run(TestSpec spec, string root, bool temporary)
    {
        private readonly Dictionary<SpecTest, int> _ordinals = spec.AllTests
            .Select((test, index) => (test, index))
            .ToDictionary(pair => pair.test, pair => pair.index + 1);

        public TestSpec Spec { get; } = spec;

        public string Root { get; } = root;

        public bool Temporary { get; } = temporary;

        public int Passed { get; set; }

        public int Failed { get; set; }

        public int Skipped { get; set; }

        public bool Cancelled { get; set; }

        public int Ordinal(SpecTest test) => _ordinals[test];
    }

    private sealed class WorkDirectoryException(string message) : Exception(message);
}
