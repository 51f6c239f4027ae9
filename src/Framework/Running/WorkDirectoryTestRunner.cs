using DeviceTest.Hardware;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Runs a test the portable way, with commands every device understands: <c>mktemp -d</c> for the work directory,
/// the test's command, a directory fetch (<see cref="IFileTransfer.GetDirectoryAsync"/>), <c>rm -rf</c>.
/// </summary>
internal sealed class WorkDirectoryTestRunner(IDevice device) : ITestCommandRunner
{
    /// <summary>The shell command that makes a test's work directory on the device and prints its path.</summary>
    internal const string WorkDirectoryCommand =
        "d=$(mktemp -d \"${TMPDIR:-/tmp}/devicetest.XXXXXX\") && mkdir \"$d/results\" \"$d/artifacts\" && printf '%s\\n' \"$d\"";

    private static readonly TimeSpan HousekeepingTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CleanupAfterCancelTimeout = TimeSpan.FromSeconds(10);

    public async Task<TestCommandOutcome> RunAsync(TestCommand command, CancellationToken cancellationToken)
    {
        string? workDir = null;
        CommandResult? result = null;
        string? failure = null;
        DeviceUnreachableException? unreachable = null;
        var lost = false;
        try
        {
            workDir = await CreateWorkDirectoryAsync(cancellationToken);
            result = await device.RunAsync(
                new CommandRequest(command.Command)
                {
                    Environment = Environment(command, workDir),
                    Timeout = command.Timeout,
                    MaxCapturedBytes = SpecRunner.MaxCapturedBytes,
                    Output = command.Output,
                },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync(workDir);
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
            // Whatever the transport throws fails this test, not the run.
            // Also an OperationCanceledException that is not ours (a device's own timeout).
            failure = e is WorkDirectoryException ? e.Message : $"could not run the test on device '{device.Name}': {e.Message}";
        }

        if (workDir is null || unreachable is not null || lost)
        {
            return new TestCommandOutcome { Result = result, Failure = failure, Unreachable = unreachable, Lost = lost };
        }

        var problems = new List<string>();
        var warnings = new List<string>();
        string? fetched = null;
        try
        {
            await device.Files.GetDirectoryAsync(workDir, command.FetchTo, cancellationToken);
            fetched = command.FetchTo;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ResultsRoot.TryDelete(command.FetchTo);
            await AbandonAsync(workDir);
            throw;
        }
        catch (DeviceUnreachableException e)
        {
            ResultsRoot.TryDelete(command.FetchTo);
            unreachable = e;
            failure ??= $"device unreachable: {e.Message}";
        }
        catch (Exception e)
        {
            // A failed fetch is a problem of this test's result.
            ResultsRoot.TryDelete(command.FetchTo);
            var message = $"could not fetch TEST_DIR and ARTIFACTS_DIR from device '{device.Name}': {e.Message}";
            failure ??= message;
            problems.Add(message);
        }

        if (unreachable is null)
        {
            await RemoveWorkDirectoryAsync(workDir, warnings, cancellationToken);
        }

        return new TestCommandOutcome
        {
            Result = result,
            Failure = failure,
            Unreachable = unreachable,
            Fetched = fetched,
            Problems = problems,
            Warnings = warnings,
        };
    }

    /// <summary>Nothing waits: every test removed its own work directory.</summary>
    public Task<IReadOnlyList<string>> FinishAsync(bool cancelled) => Task.FromResult<IReadOnlyList<string>>([]);

    private static Dictionary<string, string> Environment(TestCommand command, string workDir) =>
        new(command.Environment, StringComparer.Ordinal)
        {
            ["TEST_DIR"] = workDir + "/results",
            ["ARTIFACTS_DIR"] = workDir + "/artifacts",
        };

    private async Task<string> CreateWorkDirectoryAsync(CancellationToken cancellationToken)
    {
        var result = await device.RunAsync(
            new CommandRequest(CommandLine.FromShell(WorkDirectoryCommand)) { Timeout = HousekeepingTimeout },
            cancellationToken);
        var path = result.Stdout.Trim();
        if (!result.Succeeded || !path.StartsWith('/') || path.Contains('\n', StringComparison.Ordinal))
        {
            var why = result.TimedOut
                ? $"timed out after {DurationText.Format(HousekeepingTimeout)}"
                : $"exit code {result.ExitCode}: {result.Stderr.Trim()}";
            throw new WorkDirectoryException(
                $"could not create a work directory (TEST_DIR, ARTIFACTS_DIR) on device '{device.Name}' with " +
                $"'{WorkDirectoryCommand}': {why}");
        }

        return path;
    }

    /// <summary>
    /// Removes the work dir. The test has finished by then, so Ctrl+C does not interrupt this at once (the result is
    /// still reported); it only bounds the wait to a few seconds.
    /// </summary>
    private async Task RemoveWorkDirectoryAsync(string workDir, List<string> warnings, CancellationToken cancellationToken)
    {
        using var bounded = new CancellationTokenSource();
        using var onCancel = cancellationToken.Register(() => bounded.CancelAfter(CleanupAfterCancelTimeout));
        try
        {
            var result = await device.RunAsync(RemoveCommand(workDir, HousekeepingTimeout), bounded.Token);
            if (!result.Succeeded)
            {
                warnings.Add($"warning: could not remove {workDir} on device '{device.Name}': {result.Stderr.Trim()}");
            }
        }
        catch (Exception e)
        {
            // Leaving a temporary folder behind is worth a warning, not a failure.
            warnings.Add($"warning: could not remove {workDir} on device '{device.Name}': {e.Message}");
        }
    }

    /// <summary>After Ctrl+C: best-effort removal of the work dir, bounded to a few seconds.</summary>
    private async Task AbandonAsync(string? workDir)
    {
        if (workDir is null)
        {
            return;
        }

        using var cleanup = new CancellationTokenSource(CleanupAfterCancelTimeout);
        try
        {
            await device.RunAsync(RemoveCommand(workDir, CleanupAfterCancelTimeout), cleanup.Token);
        }
        catch (Exception)
        {
            // Best effort: the run is being cancelled.
        }
    }

    private static CommandRequest RemoveCommand(string workDir, TimeSpan timeout) =>
        new(CommandLine.FromArguments("rm", "-rf", "--", workDir)) { Timeout = timeout };

    private sealed class WorkDirectoryException(string message) : Exception(message);
}
