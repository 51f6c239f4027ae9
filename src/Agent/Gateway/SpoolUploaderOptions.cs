namespace DeviceTest.Agent.Gateway;

/// <summary>Retry timing for <see cref="SpoolUploader"/>.</summary>
public sealed class SpoolUploaderOptions
{
    /// <summary>The first retry waits up to this long; each further one up to twice as long (full jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>No retry waits longer than this.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the spool is looked at when nobody signals a new entry (entries written by another process).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// After this many failed attempts in a row, the entry at the head of the spool is set aside (to spool-failed/)
    /// when the gateway takes the next record of another test; while the gateway takes nothing, nothing is set aside.
    /// </summary>
    public int SetAsideAfterAttempts { get; init; } = 10;

    /// <summary>Seed for the jitter; null picks one at random.</summary>
    public int? JitterSeed { get; init; }
}
