namespace DeviceTest.TestAdapter.Leasing;

/// <summary>
/// Leases one device out of a pool: the first free one, else waits (telling the user once what it waits for) until
/// one is free, the wait times out, or the run is cancelled.
/// </summary>
internal sealed class LeaseBroker(LeaseDirectory directory, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public LeaseBroker(LeaseDirectory directory)
        : this(directory, TimeProvider.System)
    {
    }

    /// <summary>A lease on one of <paramref name="candidates"/> (tried in order).</summary>
    /// <exception cref="TimeoutException">None was free within <paramref name="timeout"/>.</exception>
    public async Task<DeviceLease> AcquireAsync(
        IReadOnlyList<string> candidates,
        Action<string> inform,
        TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count);
        var started = time.GetTimestamp();
        var told = false;
        while (true)
        {
            foreach (var candidate in candidates)
            {
                var lease = directory.TryAcquire(candidate);
                if (lease is not null)
                {
                    if (told)
                    {
                        inform($"DeviceTest: got device '{candidate}' after waiting {time.GetElapsedTime(started).TotalSeconds:F0} s.");
                    }

                    return lease;
                }
            }

            if (timeout is { } limit && time.GetElapsedTime(started) >= limit)
            {
                throw new TimeoutException(
                    $"No device was free within {limit.TotalSeconds:F0} s: {Describe(candidates)}. " +
                    "Wait for the other run to end, or raise <DeviceTest><LeaseTimeout> in the runsettings.");
            }

            if (!told)
            {
                told = true;
                inform($"DeviceTest: waiting for a device; in use by another run: {Describe(candidates)}. " +
                    $"Locks are in {directory.Path}.");
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private string Describe(IReadOnlyList<string> candidates) =>
        string.Join(", ", candidates.Select(name => directory.DescribeHolder(name) is { } holder ? $"'{name}' ({holder})" : $"'{name}'"));
}
