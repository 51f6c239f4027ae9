using DeviceTest.Framework.Results;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Hears what a run does as it happens: a spec's or a C# suite's (live progress, the adapter's recorder, the agent's
/// records). Every <see cref="IWorkItem"/> reports through it.
/// </summary>
public interface IRunObserver
{
    /// <summary>A test is about to run (not called for results reported without running).</summary>
    void OnTestStarted(TestStarted started);

    /// <summary>
    /// A result, once its files are in place: one per test execution (a repeated test has one per iteration), and one
    /// for a step or a suite's teardown that reports like a test.
    /// </summary>
    Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken);

    /// <summary>A spec step that is not a tests step (a reboot...) starts.</summary>
    void OnStepStarted(SpecStep specStep);

    /// <summary>That step has finished.</summary>
    void OnStepFinished(SpecStep specStep, StepOutcome outcome);

    /// <summary>Something the user should know that is not a test result (e.g. a skipped reboot on <c>local</c>).</summary>
    void OnMessage(string message);
}
