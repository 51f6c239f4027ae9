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
    public static async Task<RunState?> RecoverAsync(RunStateStore store, ITestReporter reporter, AgentLog log, string specPath)
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

            var completion = open.Completion ?? new GatewayTestCompletion { Status = status, Details = details };
            await OpenRecords.CompleteAsync(store, state, reporter, completion, s =>
            {
                if (open.Kind == OpenRecord.TestKind)
                {
                    var spec = SpecLoader.Load(s.SpecPath).Spec;
                    var next = spec is null
                        ? new RunPosition(s.StepIndex, s.TestIndex + 1, s.Iteration)
                        : RunPositions.After(spec, new RunPosition(s.StepIndex, s.TestIndex, s.Iteration));
                    s.StepIndex = next.StepIndex;
                    s.TestIndex = next.TestIndex;
                    s.Iteration = next.Iteration;
                }
            });
            log.Info($"record '{open.Name}' ({open.Id}) from before the restart: {completion.Status} ({completion.Details})");
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
