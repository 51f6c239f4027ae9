using DeviceTest.Framework.Results;
using DeviceTest.Framework.Specs;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>
/// The state of one spec run that steps share: where results go, the counts, why tests are no longer run, what to
/// undo at the end, and the test execution. Nothing per test execution is kept (a soak run has thousands).
/// </summary>
internal sealed class SpecRun
{
    private readonly Dictionary<SpecTest, int> _ordinals;

    public SpecRun(TestSpec spec, IDevice device, RunOptions options, IRunObserver observer, ResultsRoot root)
    {
        Spec = spec;
        Device = device;
        Options = options;
        Observer = observer;
        Root = root.Path;
        Temporary = root.Temporary;
        _ordinals = spec.AllTests.Select((test, index) => (test, index)).ToDictionary(pair => pair.test, pair => pair.index + 1);
        Tests = new TestExecution(this, TestCommandRunners.For(device));
    }

    public TestSpec Spec { get; }

    public IDevice Device { get; }

    public RunOptions Options { get; }

    public IRunObserver Observer { get; }

    /// <summary>The results folder (console logs, artifacts, step files).</summary>
    public string Root { get; }

    /// <summary>True when <see cref="Root"/> is removed at the end of the run.</summary>
    public bool Temporary { get; }

    public TestExecution Tests { get; }

    public UndoActions Undo { get; } = new();

    public NotRunReason? NotRun { get; set; }

    public int Passed { get; private set; }

    public int Failed { get; private set; }

    public int Skipped { get; private set; }

    /// <summary>The test's 1-based place among all tests of the spec (its results folder's number).</summary>
    public int Ordinal(SpecTest test) => _ordinals[test];

    /// <summary>A result of <paramref name="test"/> in <paramref name="round"/>, to be filled in.</summary>
    public SpecResultBuilder ResultOf(SpecTest test, TestRound round) => new(Spec, Device.Name)
    {
        StepIndex = test.StepIndex,
        Name = test.UniqueName,
        Source = test.Position,
        Iteration = round.ResultIteration,
        IsRepeated = round.IsRepeated,
    };

    /// <summary>Hands a result to the observer and counts it.</summary>
    public async Task ReportAsync(TestResult result, CancellationToken cancellationToken)
    {
        await Observer.OnTestFinishedAsync(result, cancellationToken);
        switch (result.Outcome)
        {
            case TestOutcome.Passed:
                Passed++;
                break;
            case TestOutcome.Failed:
                Failed++;
                break;
            default:
                Skipped++;
                break;
        }
    }
}
