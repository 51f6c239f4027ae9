namespace DeviceTest.Agent.Ota;

/// <summary>
/// <c>&lt;state-dir&gt;/run-state.json</c>: where a run is, written atomically before each test and before a reboot
/// command runs, removed when the run ends. After a restart (reboot, crash, SIGKILL) the agent completes the
/// <see cref="Open"/> record and resumes at <see cref="StepIndex"/>/<see cref="TestIndex"/>/<see cref="Iteration"/>.
/// </summary>
internal sealed class RunState
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    /// <summary>Random id of this run (for the log).</summary>
    public string RunId { get; set; } = string.Empty;

    public string TargetName { get; set; } = string.Empty;

    public string SpecPath { get; set; } = string.Empty;

    /// <summary>SHA-256 (hex) of the spec file the run started with; a changed spec is not resumed.</summary>
    public string SpecSha256 { get; set; } = string.Empty;

    /// <summary>Where the run goes on: when <see cref="Open"/> is a test, that test's place (the run resumes after it);
    /// otherwise the next place to run.</summary>
    public int StepIndex { get; set; }

    public int TestIndex { get; set; }

    public long Iteration { get; set; } = 1;

    /// <summary>A test record that was started (or is about to be) and not yet completed; null between tests.</summary>
    public OpenRecord? Open { get; set; }

    public DateTimeOffset SavedAt { get; set; }

    /// <summary>Null when the content makes sense, else what is wrong.</summary>
    public string? Problem()
    {
        if (Version != CurrentVersion)
        {
            return $"version {Version} is not {CurrentVersion}";
        }

        if (string.IsNullOrEmpty(RunId) || string.IsNullOrEmpty(TargetName) || string.IsNullOrEmpty(SpecPath) ||
            SpecSha256.Length != 64)
        {
            return "run_id, target_name, spec_path or spec_sha256 is missing";
        }

        if (StepIndex < 0 || TestIndex < 0 || Iteration < 1)
        {
            return $"the position (step {StepIndex}, test {TestIndex}, iteration {Iteration}) is out of range";
        }

        if (Open is { } open &&
            (!RecordIds.IsValid(open.Id) || string.IsNullOrEmpty(open.Name) || open.Kind is not (OpenRecord.TestKind or OpenRecord.RebootKind)))
        {
            return "the open record has a bad id, name or kind";
        }

        return null;
    }
}
