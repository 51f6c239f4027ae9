using DeviceTest.Framework.Running;
using DeviceTest.Hardware.Flashing;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// A <c>flash:</c> step (<c>- flash: { image: os.wic.xz, timeout: 30m, verify: true }</c>): writes an OS image to the
/// device through <see cref="Hardware.IDevice.Flash"/> and waits for it to come up on it (docs/flash.md). The image's
/// path is relative to the spec. A flash that fails is reported like a failed test (named <c>flash</c>) and every
/// later test fails without running: the device's medium is in an unknown state.
/// </summary>
public sealed class FlashStep : SpecStep
{
    private static readonly string[] Keys = ["image", "timeout", "verify"];
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The <c>flash</c> key.</summary>
    public static StepKind StepKind { get; } = new("flash", Read);

    /// <summary>The image's full path (resolved against the spec's folder).</summary>
    public required string Image { get; init; }

    /// <summary>How long writing and booting may take; null: 30 minutes.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Read the medium back and compare (default true).</summary>
    public bool Verify { get; init; } = true;

    public override string Kind => StepKind.Key;

    public override string Summary => Path.GetFileName(Image);

    public override string SucceededWord => "flashed";

    /// <summary>Reads <c>{ image, timeout, verify }</c>.</summary>
    public static SpecStep? Read(StepSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var flash = source.Mapping("`flash`");
        if (flash is null)
        {
            return null;
        }

        flash.CheckKeys(Keys);
        var image = flash.Text("image", required: true);
        var timeout = flash.Duration("timeout");
        var verify = flash.Flag("verify");
        if (image is null)
        {
            return null;
        }

        var full = Path.GetFullPath(image, source.SpecDirectory);
        if (!File.Exists(full))
        {
            source.Document.Warning(flash.Get("image")!, SpecErrorCodes.ImageNotFound,
                $"flash image {full} does not exist (yet); the run fails at this step unless the build makes it first");
        }

        return new FlashStep { Index = source.Index, Position = source.Position, Image = full, Timeout = timeout, Verify = verify ?? true };
    }

    public override async Task RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var time = context.Options.TimeProvider;
        var start = time.GetUtcNow();
        var started = time.GetTimestamp();
        context.Observer.OnStepStarted(this);
        string? failure;
        FlashOutcome? outcome = null;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout ?? DefaultTimeout);
        if (context.Device.Flash is not { } flash)
        {
            failure = $"device '{context.Device.Name}' cannot be flashed: give it a `flash` section or a `qemu.disk` in devices.yml";
        }
        else
        {
            try
            {
                outcome = await flash.FlashAsync(Image, new FlashOptions { Verify = Verify }, new Messages(context), limit.Token);
                failure = null;
            }
            catch (FlashException e)
            {
                failure = $"step '{FlashException.Describe(e.Stage)}' failed: {e.Message}";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"did not finish within {DurationText.Format(Timeout ?? DefaultTimeout)} (the step's `timeout`); the medium is incomplete";
            }
        }

        var elapsed = time.GetElapsedTime(started);
        if (failure is null)
        {
            context.Observer.OnStepFinished(this, new StepOutcome(StepStatus.Succeeded, outcome!.Summary, elapsed));
            return;
        }

        var message = $"flash of {Image} at {Position.File}:{Position.Line} on device '{context.Device.Name}': {failure}";
        context.Observer.OnStepFinished(this, new StepOutcome(StepStatus.Failed, failure, elapsed));
        await context.ReportAsync(new StepReport
        {
            Name = "flash",
            Outcome = Results.TestOutcome.Failed,
            Message = message,
            StartTime = start,
            Duration = elapsed,
        }, cancellationToken);
        context.Observer.OnMessage($"device '{context.Device.Name}': the flash failed; the remaining tests are reported failed without running");
        context.FailRemainingTests(message);
    }

    /// <summary>The flash's step messages as run messages (byte counts are left to the CLI's own progress).</summary>
    private sealed class Messages(StepContext context) : IProgress<FlashProgress>
    {
        public void Report(FlashProgress value)
        {
            if (value?.Message is { } message)
            {
                context.Observer.OnMessage(message);
            }
        }
    }
}
