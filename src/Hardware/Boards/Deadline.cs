namespace DeviceTest.Hardware.Boards;

/// <summary>A timeout that started at a moment of a <see cref="TimeProvider"/> (a fake one in tests).</summary>
internal readonly struct Deadline
{
    private readonly TimeProvider _time;
    private readonly long _start;

    private Deadline(TimeProvider time, TimeSpan timeout)
    {
        _time = time;
        _start = time.GetTimestamp();
        Timeout = timeout;
    }

    /// <summary>The whole timeout (<see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: none).</summary>
    public TimeSpan Timeout { get; }

    public TimeSpan Elapsed => _time.GetElapsedTime(_start);

    /// <summary>What is left of the timeout, at least 1 ms (a part given it fails at once rather than waiting forever).</summary>
    public TimeSpan Remaining
    {
        get
        {
            if (Timeout == System.Threading.Timeout.InfiniteTimeSpan)
            {
                return Timeout;
            }

            var remaining = Timeout - Elapsed;
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1);
        }
    }

    public static Deadline Start(TimeProvider time, TimeSpan timeout) => new(time, timeout);

    /// <summary>The shorter of two timeouts, either of which may be infinite.</summary>
    public static TimeSpan Min(TimeSpan a, TimeSpan b) =>
        a == System.Threading.Timeout.InfiniteTimeSpan ? b : b == System.Threading.Timeout.InfiniteTimeSpan ? a : a < b ? a : b;
}
