using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Runs a test on a device that can do it in one round trip (<see cref="IWorkDirectoryCommands"/>): the work directory,
/// the command and the check whether <c>results/</c> or <c>artifacts/</c> hold anything go in one command. Only a test
/// that left files costs a second round trip, which fetches them and removes its directory.
/// </summary>
/// <remarks>
/// The work directories are made <see cref="MakeBatch"/> at a time: the first test of a batch makes its own and those
/// of the next tests of its step (no more than follow, <see cref="TestCommand.Following"/>) in one <c>mkdir</c>
/// (<see cref="WorkDirectoryRequest.MakeAhead"/>), and each of those tests gets
/// one (<see cref="WorkDirectoryRequest.Premade"/>), never one another test had; the device makes a new one when it is
/// gone (a reboot emptied <c>/tmp</c>). The empty directories of the other tests are removed in batches, in the same
/// round trip as a later test's set-up, and the rest, with the pre-made ones no test used, by <see cref="FinishAsync"/>
/// (before a step that is not a tests step, e.g. a reboot, and when the run ends, also after Ctrl+C).
/// </remarks>
internal sealed class OneRoundTripTestRunner(IDevice device, IWorkDirectoryCommands commands) : ITestCommandRunner
{
    /// <summary>How many empty work directories wait before a test's round trip removes them.</summary>
    internal const int RemovalBatch = 32;

    /// <summary>How many work directories one <c>mkdir</c> makes: a test's own and those of the next tests.</summary>
    internal const int MakeBatch = 32;

    private static readonly TimeSpan HousekeepingTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CleanupAfterCancelTimeout = TimeSpan.FromSeconds(10);

    private readonly List<string> _pending = [];
    private readonly Queue<string> _premade = new();
    private bool _unreachable;

    public async Task<TestCommandOutcome> RunAsync(TestCommand command, CancellationToken cancellationToken)
    {
        var removals = _pending.Count >= RemovalBatch ? _pending.ToArray() : [];
        var premade = _premade.TryDequeue(out var next) ? next : null;
        WorkDirectoryRun run;
        try
        {
            run = await commands.RunInWorkDirectoryAsync(
                new WorkDirectoryRequest(new CommandRequest(command.Command)
                {
                    Environment = command.Environment,
                    Timeout = command.Timeout,
                    MaxCapturedBytes = SpecRunner.MaxCapturedBytes,
                    Output = command.Output,
                })
                {
                    RemoveFirst = removals,
                    Premade = premade,
                    MakeAhead = premade is null ? (int)Math.Clamp(command.Following, 0, MakeBatch - 1) : 0,
                },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The device removed this test's directories (the pre-made one too) as it stopped the command.
            throw;
        }
        catch (DeviceUnreachableException e)
        {
            _unreachable = true;
            return new TestCommandOutcome { Failure = $"device unreachable: {e.Message}", Unreachable = e };
        }
        catch (DeviceLostException e)
        {
            Forget(premade);
            var failure = e.Message.StartsWith("device lost", StringComparison.OrdinalIgnoreCase) ? e.Message : $"device lost: {e.Message}";
            return new TestCommandOutcome { Failure = failure, Lost = true };
        }
        catch (Exception e)
        {
            // Whatever the transport throws fails this test, not the run.
            // Also an OperationCanceledException that is not ours (a device's own timeout).
            Forget(premade);
            return new TestCommandOutcome { Failure = $"could not run the test on device '{device.Name}': {e.Message}" };
        }

        _pending.RemoveRange(0, removals.Length);
        foreach (var path in run.MadeAhead)
        {
            _premade.Enqueue(path);
        }

        if (premade is not null && run.Path != premade)
        {
            // Not used (gone after a reboot, or not the device user's): removed with the others, in case it is still there.
            Forget(premade);
        }

        if (run.Failure is { } why)
        {
            return new TestCommandOutcome
            {
                Failure = $"could not create a work directory (TEST_DIR, ARTIFACTS_DIR) on device '{device.Name}': {why}",
            };
        }

        if (run.Path is not { } workDirectory || !run.HasFiles)
        {
            if (run.Path is not null)
            {
                _pending.Add(run.Path);
            }

            return new TestCommandOutcome { Result = run.Result };
        }

        return await FetchAsync(run.Result, workDirectory, command.FetchTo, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> FinishAsync(bool cancelled)
    {
        var paths = _pending.Concat(_premade).ToArray();
        _pending.Clear();
        _premade.Clear();
        if (paths.Length == 0 || _unreachable)
        {
            return [];
        }

        var within = cancelled ? CleanupAfterCancelTimeout : HousekeepingTimeout;
        using var bounded = new CancellationTokenSource(within);
        try
        {
            var result = await device.RunAsync(
                new CommandRequest(CommandLine.FromArguments(["rm", "-rf", "--", .. paths])) { Timeout = within }, bounded.Token);
            return result.Succeeded ? [] : [Warning(paths, result.Stderr.Trim())];
        }
        catch (Exception e)
        {
            // Leaving temporary folders behind is worth a warning, not a failure.
            return [Warning(paths, e.Message)];
        }
    }

    private async Task<TestCommandOutcome> FetchAsync(CommandResult? result, string workDirectory, string fetchTo, CancellationToken cancellationToken)
    {
        try
        {
            await commands.FetchAndRemoveAsync(workDirectory, fetchTo, cancellationToken);
            return new TestCommandOutcome { Result = result, Fetched = fetchTo };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ResultsRoot.TryDelete(fetchTo);
            _pending.Add(workDirectory);
            throw;
        }
        catch (DeviceUnreachableException e)
        {
            ResultsRoot.TryDelete(fetchTo);
            _unreachable = true;
            return new TestCommandOutcome { Result = result, Failure = $"device unreachable: {e.Message}", Unreachable = e };
        }
        catch (Exception e)
        {
            // A failed fetch is a problem of this test's result.
            ResultsRoot.TryDelete(fetchTo);
            _pending.Add(workDirectory);
            var message = $"could not fetch TEST_DIR and ARTIFACTS_DIR from device '{device.Name}': {e.Message}";
            return new TestCommandOutcome { Result = result, Failure = message, Problems = [message] };
        }
    }

    /// <summary>Removes <paramref name="premade"/> (when there is one) with the next batch.</summary>
    private void Forget(string? premade)
    {
        if (premade is not null)
        {
            _pending.Add(premade);
        }
    }

    private string Warning(string[] paths, string why) =>
        $"warning: could not remove {paths.Length} work director{(paths.Length == 1 ? "y" : "ies")} ({paths[0]}...) on device '{device.Name}': {why}";
}
