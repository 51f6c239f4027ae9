using DeviceTest.Framework.Results;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Runs a <see cref="TestSpec"/> on one device: its steps in order, each by its own <see cref="SpecStep.RunAsync"/>
/// (a <c>tests:</c> step runs its tests with <c>repeat</c>, a <c>reboot:</c> step reboots and waits; one test's
/// execution is <see cref="TestExecution"/>'s). This class is the sequence around them: which steps run (the filter,
/// <see cref="RunOptions.StartAt"/> for a resumed run, the spec's required tags), cancellation, and what the steps
/// registered to undo, run when the spec ends however it ends.
/// </summary>
/// <remarks>
/// <para>A device without a tag the spec requires runs nothing: each selected test is reported skipped once. A step
/// that leaves the device unusable (a reboot after which it did not come back) makes every later test reported failed
/// once without running, and later steps do not run; the run ends normally. A device that stops answering ends the
/// run with <see cref="DeviceUnreachableException"/> (the CLI exits 3), after the test it happened in was reported.</para>
/// <para>Cancellation: the device kills the running command; the interrupted test is not reported; tests finished
/// before were; <see cref="RunAsync"/> returns with <see cref="RunSummary.Cancelled"/> set instead of throwing.</para>
/// </remarks>
public sealed class SpecRunner
{
    /// <summary>How much of each output stream a <see cref="TestResult"/> carries; console.log has everything.</summary>
    public const int MaxCapturedBytes = 1024 * 1024;

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

    /// <summary>Runs <paramref name="spec"/>, reporting each result as it comes.</summary>
    /// <returns>The counts, with <see cref="RunSummary.RunName"/> the spec's name.</returns>
    /// <exception cref="DeviceUnreachableException">The device could not be reached or brought back; results
    /// up to and including the failed test were reported.</exception>
    public async Task<RunSummary> RunAsync(TestSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var clock = _options.TimeProvider;
        var startTime = clock.GetUtcNow();
        var root = ResultsRoot.For(_options);
        var run = new SpecRun(spec, _device, _options, _observer, root);
        var cancelled = false;
        try
        {
            await RunStepsAsync(run, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        finally
        {
            await run.Tests.FinishAsync(cancellationToken.IsCancellationRequested);
            await run.Undo.RunAllAsync(_device, _observer, clock, cancellationToken.IsCancellationRequested);
            if (root.Temporary)
            {
                ResultsRoot.TryDelete(root.Path);
            }
        }

        return new RunSummary
        {
            RunName = spec.Name,
            DeviceName = _device.Name,
            StartTime = startTime,
            EndTime = clock.GetUtcNow(),
            Passed = run.Passed,
            Failed = run.Failed,
            Skipped = run.Skipped,
            Cancelled = cancelled,
        };
    }

    private async Task RunStepsAsync(SpecRun run, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var missingTags = spec.RequiredTags.Where(tag => !_device.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missingTags.Count > 0)
        {
            run.NotRun = new NotRunReason(
                TestOutcome.Skipped, $"requires tag(s) {string.Join(", ", missingTags)}, which device '{_device.Name}' does not have");
        }

        var selection = new SequenceSelection(spec, _options.TestFilter);
        var startAt = _options.StartAt ?? RunPosition.Start;
        for (var index = Math.Max(0, startAt.StepIndex); index < spec.Sequence.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = spec.Sequence[index];

            // Only a tests step runs once tests are no longer run: it reports them.
            if (!selection.Runs(index) || (run.NotRun is not null && step is not TestsStep))
            {
                continue;
            }

            if (step is not TestsStep)
            {
                await run.Tests.FinishAsync(cancelled: false);
            }

            await step.RunAsync(new StepContext(run, step, index == startAt.StepIndex ? startAt : null), cancellationToken);
        }
    }
}
