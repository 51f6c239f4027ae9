namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// Decides which results keep their copied attachments in a TRX run folder, so that a long soak (a spec with
/// <c>repeat</c>, tens of thousands of iterations) stays bounded in disk use. Per test:
/// every result that did not pass keeps its files; the first passed result keeps them (what a healthy iteration looks
/// like); and a rolling window keeps the last <see cref="PassesPerWindow"/> passed results, pinned when a failure
/// arrives (the passes just before each failure, to compare with it) and at the end of the run (the last passes).
/// Older passed results in the window give their files up when a newer one pushes them out.
/// </summary>
/// <remarks>
/// Why this and not hard links or content deduplication: a TRX is published (Azure DevOps "Publish Test Results"
/// uploads every <c>ResultFile</c> as a result attachment; CI jobs upload the TRX folder as an artifact), and neither
/// hard links nor identical-content dedupe survive an upload or a zip: 49,000 links are 49,000 uploaded files. Console
/// logs of soak iterations also differ (timestamps, counters), so dedupe by hash saves little. What users open in a
/// published run is the failed iterations' logs and a few passing ones to compare with; all results, passed or not,
/// stay in the TRX with their outcome, timing and output, only the files of the passes in between are not kept.
/// Memory: one small entry per distinct test plus at most <see cref="PassesPerWindow"/> pending results each.
/// </remarks>
internal sealed class TrxAttachmentRetention(int passesPerWindow)
{
    private readonly Dictionary<string, TestState> _tests = new(StringComparer.Ordinal);

    public int PassesPerWindow { get; } = passesPerWindow;

    /// <summary>How many passed results gave their files up.</summary>
    public int Dropped { get; private set; }

    /// <summary>
    /// Records a result of <paramref name="testId"/> (with <paramref name="files"/> when attachments were copied for
    /// it) and returns the earlier passed result whose files are to be dropped now, if any.
    /// </summary>
    public KeptFiles? Add(string testId, TestOutcome outcome, KeptFiles? files)
    {
        if (!_tests.TryGetValue(testId, out var state))
        {
            state = new TestState();
            _tests.Add(testId, state);
        }

        if (outcome != TestOutcome.Passed)
        {
            // The passes just before a failure (or skip) stay, to compare with it.
            state.Window.Clear();
            return null;
        }

        if (files is null)
        {
            return null;
        }

        if (!state.FirstPassKept)
        {
            state.FirstPassKept = true;
            return null;
        }

        state.Window.Enqueue(files);
        if (state.Window.Count <= PassesPerWindow)
        {
            return null;
        }

        Dropped++;
        return state.Window.Dequeue();
    }

    private sealed class TestState
    {
        public bool FirstPassKept { get; set; }

        public Queue<KeptFiles> Window { get; } = new();
    }
}
