using DeviceTest.Agent.Gateway;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// Journaled reporting of the open record: each step is saved in the run state before (start) or around (completion)
/// the reporter call, so that after a crash at any instant the agent repeats at most the very operation it was doing,
/// with the same content (the gateway treats a repeated POST of the same test-id and an identical PUT as no change).
/// </summary>
internal static class OpenRecords
{
    public static async Task StartAsync(RunStateStore store, RunState state, ITestReporter reporter, CancellationToken cancellationToken)
    {
        var open = state.Open ?? throw new InvalidOperationException("no open record");
        if (open.Started)
        {
            return;
        }

        await reporter.StartTestAsync(open.Id, open.Name, state.TargetName, cancellationToken);
        open.Started = true;
        store.Save(state);
    }

    /// <summary>Completes the open record (starting it first if needed) and clears it; <paramref name="afterwards"/> moves the state on in the same save.</summary>
    public static async Task CompleteAsync(
        RunStateStore store, RunState state, ITestReporter reporter, GatewayTestCompletion completion, Action<RunState>? afterwards = null)
    {
        var open = state.Open ?? throw new InvalidOperationException("no open record");
        await StartAsync(store, state, reporter, CancellationToken.None);
        if (open.Completion is null)
        {
            open.Completion = completion;
            store.Save(state);
        }

        await reporter.CompleteTestAsync(open.Id, open.Completion, CancellationToken.None);
        state.Open = null;
        afterwards?.Invoke(state);
        store.Save(state);
    }
}
