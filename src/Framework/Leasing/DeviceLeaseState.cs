namespace DeviceTest.Framework.Leasing;

/// <summary>One device as a store sees it: who holds it and who waits for it (first in line first).</summary>
public sealed record DeviceLeaseState(string DeviceName, LeaseHolder? Holder, IReadOnlyList<LeaseHolder> Waiters)
{
    /// <summary>Whether the store keeps a queue of waiters (the lock-file store does not).</summary>
    public bool TracksWaiters { get; init; } = true;
}
