using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>
/// What a step gets when it runs (<see cref="SpecStep.RunAsync"/>): the device, the spec, the run's options and
/// observer, where a resumed run starts in the step, and the ways a step acts on the rest of the run: report a result
/// like a test, fail the remaining tests, register something to undo when the spec ends.
/// </summary>
public sealed class StepContext
{
    private readonly SpecRun _run;
    private readonly SpecStep _step;

    internal StepContext(SpecRun run, SpecStep step, RunPosition? resumeAt)
    {
        _run = run;
        _step = step;
        ResumeAt = resumeAt;
    }

    public IDevice Device => _run.Device;

    public TestSpec Spec => _run.Spec;

    public RunOptions Options => _run.Options;

    /// <summary>For <see cref="IRunObserver.OnStepStarted"/>, <see cref="IRunObserver.OnStepFinished"/> and messages.</summary>
    public IRunObserver Observer => _run.Observer;

    /// <summary>Where in this step a resumed run starts (<see cref="RunOptions.StartAt"/>); null: from its start.</summary>
    public RunPosition? ResumeAt { get; }

    /// <summary>
    /// Set when tests are reported without running (a missing tag; a step that left the device unusable). The
    /// sequence does not run other steps then; a tests step reports each selected test once with it.
    /// </summary>
    public NotRunReason? NotRun => _run.NotRun;

    /// <summary>What to put back on the device when the spec ends, even after a failure or Ctrl+C.</summary>
    public UndoActions Undo => _run.Undo;

    /// <summary>Whether the run's filter selected <paramref name="test"/> (<see cref="RunOptions.TestFilter"/>).</summary>
    public bool IsSelected(SpecTest test) => _run.Options.TestFilter?.Invoke(test) ?? true;

    /// <summary>
    /// The device cannot be used after this step: every later test is reported failed with <paramref name="message"/>
    /// without running, and later steps do not run. The first call wins.
    /// </summary>
    public void FailRemainingTests(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _run.NotRun ??= new NotRunReason(Results.TestOutcome.Failed, message);
    }

    /// <summary>
    /// A local folder for files this step makes and attaches (<c>&lt;results&gt;/&lt;spec&gt;/step&lt;NN&gt;-&lt;name&gt;</c>),
    /// created empty. With no results directory it is temporary and removed when the run ends.
    /// </summary>
    public string ResultsFolder(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var folder = ResultsLayout.StepFolder(_run.Root, _run.Spec.Name, _step.Index, name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Reports a result of this step like a test's (counted, written to result files, an agent record): after
    /// <see cref="RunOptions.BeforeTest"/> with a <see cref="TestStarting"/> whose test is null.
    /// </summary>
    public async Task ReportAsync(StepReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (Options.BeforeTest is { } beforeTest)
        {
            await beforeTest(new TestStarting(report.Name, new RunPosition(_step.Index, 0, 1), null), cancellationToken);
        }

        var result = new SpecResultBuilder(_run.Spec, _run.Device.Name)
        {
            StepIndex = _step.Index,
            Name = report.Name,
            Source = _step.Position,
            Outcome = report.Outcome,
            Message = report.Message,
            Details = report.Details,
            StartTime = report.StartTime,
            Duration = report.Duration,
            Attachments = report.Attachments,
        }.Build();
        await _run.ReportAsync(result, cancellationToken);
    }

    /// <summary>Runs one test of this (tests) step: <see cref="RunOptions.BeforeTest"/>, then its execution.</summary>
    internal async Task RunTestAsync(SpecTest test, TestRound round, CancellationToken cancellationToken)
    {
        await BeforeTestAsync(test, round, cancellationToken);
        await _run.Tests.RunAsync(test, round, cancellationToken);
    }

    /// <summary>Reports one test of this step with <paramref name="reason"/>, without running it.</summary>
    internal async Task ReportNotRunAsync(SpecTest test, TestRound round, NotRunReason reason, CancellationToken cancellationToken)
    {
        await BeforeTestAsync(test, round, cancellationToken);
        var now = Options.TimeProvider.GetUtcNow();
        var result = _run.ResultOf(test, round) with { Outcome = reason.Outcome, Message = reason.Message, StartTime = now };
        Observer.OnTestStarted(result.Started());
        await _run.ReportAsync(result.Build(), cancellationToken);
    }

    private Task BeforeTestAsync(SpecTest test, TestRound round, CancellationToken cancellationToken) =>
        Options.BeforeTest is { } beforeTest
            ? beforeTest(new TestStarting(test.UniqueName, new RunPosition(_step.Index, round.TestIndex, round.Iteration), test), cancellationToken)
            : Task.CompletedTask;
}
