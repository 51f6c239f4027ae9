using DeviceTest.Framework.Results;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Running;

/// <summary>Hears what a run does as it happens (live progress, the adapter's recorder, the agent's spool).</summary>
public interface IRunObserver
{
    void OnTestStarted(TestStarted started);

    /// <summary>Called once per test execution, after its result files are in place.</summary>
    Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken);

    void OnRebootStarted(RebootStep reboot);

    void OnRebootFinished(RebootStep reboot, Hardware.RebootOutcome outcome);

    /// <summary>Something the user should know that is not a test result (e.g. a skipped reboot on <c>local</c>).</summary>
    void OnMessage(string message);
}
