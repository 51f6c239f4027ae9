namespace DeviceTest.Hardware.Flashing.Writers;

/// <summary>Turns bytes done into <see cref="FlashProgress"/> reports: at most one each 250 ms, with speed and time left.</summary>
internal sealed class ProgressMeter(IProgress<FlashProgress>? progress, FlashStage stage, long? total, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private long _bytes;
    private long _lastReport;

    public long Bytes => Interlocked.Read(ref _bytes);

    public TimeSpan Elapsed => time.GetElapsedTime(_started);

    public double BytesPerSecond => Bytes / Math.Max(Elapsed.TotalSeconds, 0.001);

    public void Add(long bytes)
    {
        Interlocked.Add(ref _bytes, bytes);
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(Interlocked.Read(ref _lastReport), now) >= TimeSpan.FromMilliseconds(250))
        {
            Interlocked.Exchange(ref _lastReport, now);
            Report();
        }
    }

    /// <param name="last">The stage's last report.</param>
    public void Report(bool last = false)
    {
        var done = Bytes;
        var speed = BytesPerSecond;
        progress?.Report(new FlashProgress
        {
            Stage = stage,
            Bytes = done,
            TotalBytes = total,
            BytesPerSecond = speed,
            Done = last,
            TimeLeft = total is { } t && speed > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - done) / speed) : null,
        });
    }
}
