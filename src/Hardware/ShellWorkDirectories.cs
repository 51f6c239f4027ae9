namespace DeviceTest.Hardware;

/// <summary>
/// <see cref="IWorkDirectoryCommands"/> for any device through its ordinary <see cref="IDevice.RunAsync"/>: the test's
/// command is wrapped in a script that removes earlier work directories, makes the new one (with those made ahead for
/// later tests) or finds the pre-made one (see <see cref="WorkDirectoryNames"/>), runs the command in a
/// subshell (so that its <c>exit</c> or <c>cd</c> cannot skip the rest), checks <c>results/</c> and <c>artifacts/</c> and
/// prints a report line, which is taken out of the output before it reaches the observer. Console shells use it, so
/// that whatever their command path does (typing, framing, stopping) applies to tests unchanged.
/// </summary>
/// <remarks>
/// A timeout or Ctrl+C stops the wrapper with the command, so there is no report: after a timeout one more command
/// removes the directories made ahead and asks whether the test's directory holds files; after Ctrl+C one more removes
/// them all. Files are fetched with <see cref="IFileTransfer.GetDirectoryAsync"/>, then the directory is removed.
/// </remarks>
internal sealed class ShellWorkDirectories(IDevice device) : IWorkDirectoryCommands
{
    /// <summary>
    /// What the report line starts with: a record separator (\036), a newline and <c>DTW_</c>. The newline puts the report
    /// on a line of its own after output that does not end in one; the record separator before it means a newline at the
    /// end of the output so far is the test's, not maybe the report's, so the filter passes it on at once.
    /// </summary>
    private const string ReportMarker = "\u001e\nDTW_";

    private static readonly TimeSpan HousekeepingTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CleanupAfterCancel = TimeSpan.FromSeconds(10);

    public async Task<WorkDirectoryRun> RunInWorkDirectoryAsync(WorkDirectoryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = new WorkDirectoryNames(request);
        var filter = new ReportLineFilter(request.Command.Output, ReportMarker + names.Name + " ");
        CommandResult result;
        try
        {
            result = await device.RunAsync(request.AsShell(Script(request, names), filter), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            filter.Complete();
            await RemoveAsync(CommandLine.FromShell(names.RemoveAll()), CleanupAfterCancel);
            throw;
        }

        filter.Complete();
        var output = filter.Strip(result.Stdout);
        result = new CommandResult
        {
            ExitCode = result.ExitCode,
            Stdout = output,
            Stderr = result.Stderr,
            Duration = result.Duration,
            TimedOut = result.TimedOut,
            OutputTruncated = result.OutputTruncated,
        };
        if (filter.Report is { } report && WorkDirectoryScript.TryParseReport(report, out _, out var flag, out var path))
        {
            var run = names.Reported(result, flag, path, output + result.Stderr);
            if (run.Failure is not null && names.Ahead.Count > 0)
            {
                // mkdir may have made some of the directories before it failed.
                await RemoveAsync(CommandLine.FromShell(names.RemoveAll()), HousekeepingTimeout);
            }

            return run;
        }

        // No report: the command was stopped with its wrapper (a timeout). Ask where its directory is.
        var described = await device.RunAsync(
            new CommandRequest(CommandLine.FromShell(names.Describe())) { Timeout = HousekeepingTimeout }, cancellationToken);
        return WorkDirectoryNames.Described(result, described.Stdout);
    }

    public async Task FetchAndRemoveAsync(string workDirectory, string localDirectory, CancellationToken cancellationToken)
    {
        try
        {
            await device.Files.GetDirectoryAsync(workDirectory, localDirectory, cancellationToken);
        }
        finally
        {
            await RemoveAsync(CommandLine.FromArguments("rm", "-rf", "--", workDirectory), cancellationToken.IsCancellationRequested ? CleanupAfterCancel : HousekeepingTimeout);
        }
    }

    /// <summary>The wrapper: removals, the work directory, the command in a subshell, the check, the report.</summary>
    internal static string Script(WorkDirectoryRequest request, WorkDirectoryNames names) =>
        WorkDirectoryScript.Remove(request.RemoveFirst) +
        "if " + names.Prepare() + "; then " +
        "export TEST_DIR=\"$dt_d/results\" ARTIFACTS_DIR=\"$dt_d/artifacts\"; " +
        "( eval " + ShellQuoting.Quote(request.Command.Command.ToShellString()) + " ); dt_r=$?; " +
        WorkDirectoryScript.Check + "; else dt_r=$?; dt_f=x; fi; " +
        $"printf '\\036\\nDTW_%s %s %s %s\\n' {names.Name} \"$dt_r\" \"$dt_f\" \"$dt_d\"; exit $dt_r";

    /// <summary>Runs a removal, bounded; a failure is not reported (a work directory left behind is not a test's failure).</summary>
    private async Task RemoveAsync(CommandLine command, TimeSpan within)
    {
        using var bounded = new CancellationTokenSource(within);
        try
        {
            await device.RunAsync(new CommandRequest(command) { Timeout = within }, bounded.Token);
        }
        catch (Exception)
        {
            // Best effort.
        }
    }
}
