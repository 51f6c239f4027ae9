using System.Globalization;
using System.Text;
using DeviceTest.Agent.Gateway;
using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// One run of the spec for one Target on this device. Each test execution is a gateway test record: its state is
/// saved and its start recorded before it runs, its completion recorded after, then the state moves on. Before a
/// reboot command runs, the state says where to resume and which "reboot" record to complete after boot.
/// </summary>
internal sealed class AgentRun(AgentRunContext context, TestSpec spec, RunState state) : IRunObserver
{
    private StepOutcome? _rebootOutcome;
    private bool _warnedOnHost;

    public RunState State => state;

    /// <summary>Set before cancelling: what the completion of the interrupted record says (e.g. "stopped: install-pre").</summary>
    public string StopReason { get; set; } = "stopped";

    /// <summary>Set before cancelling when the agent itself is stopping (SIGTERM, a reboot): the state is kept to resume.</summary>
    public bool Shutdown { get; set; }

    /// <summary>Saves the run's state (before it starts, once no other run is left): from now on a restart resumes it.</summary>
    public void Prepare() => context.Store.Save(state);

    /// <summary>Runs to the end, or until cancelled; never throws (problems are logged and recorded).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var log = context.Log;
        log.Info($"run {state.RunId}: spec '{spec.Name}' ({state.SpecPath}) for Target '{state.TargetName}'" +
            (state.StepIndex == 0 && state.TestIndex == 0 && state.Iteration == 1
                ? string.Empty
                : $", resuming at step {state.StepIndex + 1}, test {state.TestIndex + 1}, iteration {state.Iteration}"));
        var options = new RunOptions
        {
            StartAt = new RunPosition(state.StepIndex, state.TestIndex, state.Iteration),
            BeforeTest = BeforeTestAsync,
            BeforeReboot = BeforeRebootAsync,
        };

        string? problem = null;
        var cancelled = false;
        try
        {
            var summary = await new SpecWorkItem(spec, options).RunAsync(context.Device, this, cancellationToken);
            cancelled = summary.Cancelled;
            if (!cancelled)
            {
                log.Info($"run {state.RunId}: finished: {summary.Passed} passed, {summary.Failed} failed, {summary.Skipped} skipped");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (Exception e)
        {
            problem = e.Message;
            log.Error($"run {state.RunId}: ended early: {e.Message}");
        }

        if (cancelled && Shutdown)
        {
            log.Info($"run {state.RunId}: agent stopping; {context.Store.Path} keeps the place, the run resumes at the next start");
            return;
        }

        try
        {
            await CloseOpenRecordAsync(cancelled ? StopReason : problem is null ? null : $"the run ended: {problem}");
            context.Store.Delete();
        }
        catch (Exception e)
        {
            log.Error($"run {state.RunId}: could not record the end of the run: {e.Message} (check free space and permissions of {context.Store.Path})");
        }

        if (cancelled)
        {
            log.Info($"run {state.RunId}: {StopReason}");
        }
    }

    public void OnTestStarted(TestStarted started) =>
        context.Log.Info($"test '{started.Name}'" + (started.IsRepeated ? $" (iteration {started.Iteration})" : string.Empty) + ": started");

    public async Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var open = state.Open ?? throw new InvalidOperationException("a test finished without a started record");

        // A finished test is recorded even when a stop comes in now: its result is real.
        var position = new RunPosition(state.StepIndex, state.TestIndex, state.Iteration);
        await OpenRecords.CompleteAsync(context.Store, state, context.Reporter, Completion(result), s =>
        {
            var next = RunPositions.After(spec, position);
            s.StepIndex = next.StepIndex;
            s.TestIndex = next.TestIndex;
            s.Iteration = next.Iteration;
        });
        context.Log.Info($"test '{result.Name}' ({open.Id}): {result.Outcome.ToString().ToUpperInvariant()}" + (result.Message is null ? string.Empty : $" ({FirstLine(result.Message)})"));
    }

    public void OnStepStarted(SpecStep specStep)
    {
        ArgumentNullException.ThrowIfNull(specStep);
        context.Log.Info(specStep is RebootStep reboot
            ? $"reboot step {reboot.Index + 1}: running '{reboot.Command}'; the run resumes at step {reboot.Index + 2} after boot"
            : $"{specStep.Kind} step {specStep.Index + 1}: {specStep.Summary}");
    }

    public void OnStepFinished(SpecStep specStep, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(specStep);
        ArgumentNullException.ThrowIfNull(outcome);
        if (specStep is RebootStep)
        {
            // Only a reboot that did not take the agent down with it gets here.
            _rebootOutcome = outcome;
            context.Log.Error($"reboot step {specStep.Index + 1}: {outcome.Details}");
        }
        else
        {
            context.Log.Info($"{specStep.Kind} step {specStep.Index + 1}: {outcome.Status.ToString().ToLowerInvariant()}: {outcome.Details}");
        }
    }

    public void OnMessage(string message) => context.Log.Info(message);

    private async Task BeforeTestAsync(TestStarting starting, CancellationToken cancellationToken)
    {
        await CloseOpenRecordAsync(null);
        var onHost = starting.Test?.OnHost ?? false;
        var position = starting.Position;
        context.Device.UseHost(onHost);
        if (onHost && context.Device.Host is null && !_warnedOnHost)
        {
            _warnedOnHost = true;
            context.Log.Info("on_host tests run on this machine: no host SSH is configured (--host-ssh or DEVICETEST_HOST_SSH); on_host only matters when the agent runs in a container");
        }

        var open = new OpenRecord { Id = RecordIds.New(), Name = starting.Name, Kind = OpenRecord.TestKind, StartedAt = DateTimeOffset.UtcNow };
        state.StepIndex = position.StepIndex;
        state.TestIndex = position.TestIndex;
        state.Iteration = position.Iteration;
        state.Open = open;
        context.Store.Save(state);
        await OpenRecords.StartAsync(context.Store, state, context.Reporter, cancellationToken);
    }

    private async Task BeforeRebootAsync(RebootStep reboot, CancellationToken cancellationToken)
    {
        await CloseOpenRecordAsync(null);
        var open = new OpenRecord
        {
            Id = RecordIds.New(),
            Name = "reboot",
            Kind = OpenRecord.RebootKind,
            BootId = BootId.Read(),
            StartedAt = DateTimeOffset.UtcNow,
        };
        state.StepIndex = reboot.Index + 1;
        state.TestIndex = 0;
        state.Iteration = 1;
        state.Open = open;
        _rebootOutcome = null;
        context.Store.Save(state);
        await OpenRecords.StartAsync(context.Store, state, context.Reporter, cancellationToken);
    }

    /// <summary>
    /// Completes the open record, if any: a reboot that came back without rebooting (its outcome), or whatever
    /// <paramref name="reason"/> says (stopped, the run failed). Not cancellable: the record must end.
    /// </summary>
    private async Task CloseOpenRecordAsync(string? reason)
    {
        if (state.Open is not { } open)
        {
            return;
        }

        string details;
        if (open.Kind == OpenRecord.RebootKind && _rebootOutcome is { } outcome)
        {
            details = $"the device did not reboot: {outcome.Details}" + (reason is null ? string.Empty : $"; {reason}");
        }
        else if (reason is not null)
        {
            details = reason;
        }
        else
        {
            return;
        }

        await OpenRecords.CompleteAsync(context.Store, state, context.Reporter, new GatewayTestCompletion { Status = "FAILED", Details = details });
        context.Log.Info($"record '{open.Name}' ({open.Id}): FAILED ({details})");
        _rebootOutcome = null;
    }

    internal static GatewayTestCompletion Completion(TestResult result)
    {
        var details = new StringBuilder();
        if (result.Outcome == TestOutcome.Skipped)
        {
            details.Append("skipped: ");
        }

        if (result.Message is { } message)
        {
            details.AppendLine(message);
        }

        if (result.Details is { } more)
        {
            details.AppendLine(more);
        }

        if (result.IsRepeated && details.Length > 0)
        {
            details.AppendLine(CultureInfo.InvariantCulture, $"(iteration {result.Iteration})");
        }

        return new GatewayTestCompletion
        {
            Status = result.Outcome == TestOutcome.Passed ? "PASSED" : "FAILED",
            Details = details.Length == 0 ? null : details.ToString().TrimEnd(),
            Results =
            [
                .. result.SubResults.Select(sub => new GatewayTestResult
                {
                    Name = sub.Name,
                    Status = sub.Outcome switch { TestOutcome.Passed => "PASSED", TestOutcome.Skipped => "SKIPPED", _ => "FAILED" },
                    LocalTimestamp = sub.LocalTimestamp,
                    Details = sub.Details,
                    Metrics = sub.Metrics,
                }),
            ],
            ArtifactPaths = [.. result.Attachments],
        };
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
