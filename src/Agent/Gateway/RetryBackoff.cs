namespace DeviceTest.Agent.Gateway;

/// <summary>Exponential backoff with full jitter: attempt n waits a random time in [0, min(cap, base * 2^(n-1))].</summary>
internal sealed class RetryBackoff
{
    private readonly TimeSpan _base;
    private readonly TimeSpan _cap;
    private readonly Random _random;

    public RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, int? seed)
    {
        _base = baseDelay <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : baseDelay;
        _cap = maxDelay < _base ? _base : maxDelay;
        _random = seed is { } s ? new Random(s) : new Random();
    }

    /// <summary>Failures since the last success.</summary>
    public int Attempt { get; private set; }

    public TimeSpan Next()
    {
        Attempt++;
        var ceiling = _base.TotalMilliseconds * Math.Pow(2, Math.Min(Attempt - 1, 30));
        ceiling = Math.Min(ceiling, _cap.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Max(1, _random.NextDouble() * ceiling));
    }

    public void Reset() => Attempt = 0;
}
