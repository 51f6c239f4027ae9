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

    /// <summary>Seed for the jitter; null picks one at random.</summary>
    public int? JitterSeed { get; init; }
}
