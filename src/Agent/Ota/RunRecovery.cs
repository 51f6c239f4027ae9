using DeviceTest.Agent.Gateway;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// At start: reads the state a previous agent process left (a reboot step, a crash, SIGKILL, power loss), completes
/// the record that was open (the reboot, or the test that was cut off), and says where the run resumes.
/// </summary>
internal static class RunRecovery
{
    /// <summary>The state to resume from (its open record completed and saved), or null when there is nothing to resume.</summary>
    public static async Task<RunState?> RecoverAsync(RunStateStore store, ITestReporter reporter, AgentLog log, string specPath, CancellationToken cancellationToken)
    {
        var state = store.Load(out var error);
        if (error is not null)
        {
            string where;
            try
            {
                where = $"it was moved to {store.Quarantine()}";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                where = $"it could not be moved aside ({e.Message}); remove it by hand";
            }

            log.Error($"the run state {store.Path} is unreadable: {error}. {where}. The interrupted run is not resumed " +
                "(its last open test record, if any, stays incomplete); the next install-post starts a new run. " +
                "If this happens again, check the disk (dmesg) and that the state directory is a persistent mount.");
            return null;
        }

        if (state is null)
        {
            return null;
        }

        if (state.Open is { } open)
        {
            // Start again: the previous process may have died before the start was recorded (the reporter ignores repeats).
            await reporter.StartTestAsync(open.Id, open.Name, state.TargetName, cancellationToken);
            string status;
            string details;
            if (open.Kind == OpenRecord.RebootKind)
            {
                status = "PASSED";
                var bootId = BootId.Read();
                details = open.BootId is not null && bootId is not null && open.BootId == bootId
                    ? $"the agent restarted without a new boot (same boot id); counted as the reboot, the run resumes at step {state.StepIndex + 1}"
                    : $"the device rebooted; the run resumes at step {state.StepIndex + 1}";
            }
            else
            {
                status = "FAILED";
                details = $"interrupted: the agent stopped while this test ran (killed, crashed or power lost; started {open.StartedAt:u}); " +
                    "its output is lost; the run goes on with the next test";
            }

            await reporter.CompleteTestAsync(open.Id, new GatewayTestCompletion { Status = status, Details = details }, cancellationToken);
            log.Info($"record '{open.Name}' ({open.Id}) from before the restart: {status} ({details})");
            state.Open = null;
            if (open.Kind == OpenRecord.TestKind)
            {
                var spec = SpecLoader.Load(state.SpecPath).Spec;
                var next = spec is null
                    ? new RunPosition(state.StepIndex, state.TestIndex + 1, state.Iteration)
                    : RunPositions.After(spec, new RunPosition(state.StepIndex, state.TestIndex, state.Iteration));
                state.StepIndex = next.StepIndex;
                state.TestIndex = next.TestIndex;
                state.Iteration = next.Iteration;
            }

            store.Save(state);
        }

        if (!string.Equals(Path.GetFullPath(specPath), state.SpecPath, StringComparison.Ordinal) ||
            SpecFile.Sha256(state.SpecPath) is not { } hash || !string.Equals(hash, state.SpecSha256, StringComparison.Ordinal))
        {
            log.Warning($"run {state.RunId} is not resumed: the spec ({state.SpecPath}) changed or is gone since the run started; " +
                "the next install-post starts a new run");
            store.Delete();
            return null;
        }

        return state;
    }
}
