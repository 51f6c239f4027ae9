using DeviceTest.Framework.Running;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// A <c>reboot:</c> step: runs the command and waits for the device to come back through its boot strategy. When
/// the device does not come back, every later test is reported failed without running.
/// </summary>
public sealed class RebootStep : SpecStep
{
    private static readonly string[] Keys = ["command", "timeout"];

    /// <summary>The <c>reboot</c> key.</summary>
    public static StepKind StepKind { get; } = new("reboot", Read);

    public required CommandLine Command { get; init; }

    /// <summary>How long the device may take to come back; null: the run's default (5 minutes).</summary>
    public TimeSpan? Timeout { get; init; }

    public override string Kind => StepKind.Key;

    public override string Summary => Command.ToString();

    public override string SucceededWord => "back";

    /// <summary>Reads <c>{ command, timeout }</c>.</summary>
    public static SpecStep? Read(StepSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var reboot = source.Mapping("`reboot`");
        if (reboot is null)
        {
            return null;
        }

        reboot.CheckKeys(Keys);
        var command = source.ReadCommand(reboot);
        var timeout = reboot.Duration("timeout");
        return command is null ? null : new RebootStep { Index = source.Index, Position = source.Position, Command = command, Timeout = timeout };
    }

    /// <summary>
    /// <see cref="RunOptions.BeforeReboot"/>, the reboot, then <see cref="RunOptions.AfterReboot"/>. A reboot the
    /// device skips (e.g. <c>local</c>) is mentioned and the run goes on.
    /// </summary>
    public override async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        var device = context.Device;
        if (options.BeforeReboot is { } beforeReboot)
        {
            await beforeReboot(this, cancellationToken);
        }

        context.Observer.OnStepStarted(this);
        var started = options.TimeProvider.GetTimestamp();
        RebootOutcome outcome;
        string? failure = null;
        try
        {
            outcome = await device.RebootAsync(Command, Timeout ?? options.DefaultRebootTimeout, cancellationToken);
            if (!outcome.Rebooted && !outcome.Skipped)
            {
                failure = outcome.Details;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = e.Message;
            outcome = new RebootOutcome { Rebooted = false, Details = $"failed: {e.Message}", Duration = options.TimeProvider.GetElapsedTime(started) };
        }

        context.Observer.OnStepFinished(this, Describe(outcome));
        if (outcome.Skipped)
        {
            context.Observer.OnMessage($"reboot at {Position} skipped on device '{device.Name}': {outcome.Details}");
        }

        if (failure is null && outcome.Rebooted && options.AfterReboot is { } afterReboot)
        {
            try
            {
                await afterReboot(this, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                FailRemaining(context, $"the device came back after reboot at {Position.File}:{Position.Line}, but {e.Message}");
                return;
            }
        }

        if (failure is not null)
        {
            FailRemaining(context, $"device did not come back after reboot at {Position.File}:{Position.Line}: {failure}");
        }
    }

    private static StepOutcome Describe(RebootOutcome outcome) => new(
        outcome.Rebooted ? StepStatus.Succeeded : outcome.Skipped ? StepStatus.Skipped : StepStatus.Failed,
        outcome.Details,
        outcome.Duration);

    private static void FailRemaining(StepContext context, string message)
    {
        context.Observer.OnMessage($"device '{context.Device.Name}': {message}; the remaining tests are reported failed without running");
        context.FailRemainingTests(message);
    }
}
