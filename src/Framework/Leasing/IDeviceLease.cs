namespace DeviceTest.Framework.Leasing;

/// <summary>
/// Exclusive use of one device by this run until disposed. Dispose it on every exit path; a run that dies without
/// disposing is covered by its store (the OS drops a lock file's lock, etcd expires the run's lease).
/// </summary>
public interface IDeviceLease : IAsyncDisposable
{
    /// <summary>The device's name in devices.yml.</summary>
    string DeviceName { get; }

    /// <summary>
    /// Cancelled when the lease is lost (etcd: not kept alive within its time to live, or revoked by an operator).
    /// Another run may hold the device from then on: stop touching it.
    /// </summary>
    CancellationToken Lost { get; }

    /// <summary>Why the lease was lost, for messages; null while it is held.</summary>
    string? LostReason { get; }

    /// <summary>
    /// Checks the clock now (a process paused past the time to live has not run its timers yet) and throws an
    /// <see cref="OperationCanceledException"/> on <see cref="Lost"/> when the lease is lost.
    /// </summary>
    void ThrowIfLost();
}
