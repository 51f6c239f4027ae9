namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>What <see cref="RecordingDevice"/> does when asked to run one test command.</summary>
public sealed class ScriptedRun
{
    public int ExitCode { get; init; }

    public string Stdout { get; init; } = string.Empty;

    public string Stderr { get; init; } = string.Empty;

    /// <summary>The command "runs" this long (real time, cancellable).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>The command never ends by itself: only cancellation (or its timeout) stops it.</summary>
    public bool Hangs { get; init; }

    /// <summary>The command ran past its timeout and was killed.</summary>
    public bool TimesOut { get; init; }

    /// <summary>Files written under TEST_DIR, by relative path ("1700000000.5-name/failed").</summary>
    public IReadOnlyDictionary<string, string> ResultFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>Files written under ARTIFACTS_DIR, by relative path.</summary>
    public IReadOnlyDictionary<string, string> Artifacts { get; init; } = new Dictionary<string, string>();

    /// <summary>Thrown instead of a result (e.g. a DeviceLostException).</summary>
    public Exception? Throws { get; init; }

    /// <summary>Called when the command starts (e.g. to cancel the run at this point).</summary>
    public Action? OnStart { get; init; }
}
