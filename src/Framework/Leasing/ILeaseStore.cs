namespace DeviceTest.Framework.Leasing;

/// <summary>
/// Where device leases live: lock files on this machine (<see cref="LockFileLeaseStore"/>, the default) or etcd
/// shared by every lab host and CI runner (<see cref="Etcd.EtcdLeaseStore"/>). <see cref="LeaseStores"/> opens one.
/// </summary>
public interface ILeaseStore : IAsyncDisposable
{
    /// <summary>Where the leases are, for messages (a folder, or etcd's endpoints); never credentials.</summary>
    string Location { get; }

    /// <summary>
    /// A lease on one of <paramref name="candidates"/>: a free one at once, else waits (telling <paramref name="inform"/>
    /// who holds them and for how long) until one is free, <paramref name="timeout"/> passes, or the run is cancelled.
    /// </summary>
    /// <exception cref="TimeoutException">None was free within <paramref name="timeout"/>.</exception>
    /// <exception cref="LeaseStoreException">The store cannot be used (etcd unreachable, no quorum, refused).</exception>
    Task<IDeviceLease> AcquireAsync(
        IReadOnlyList<string> candidates, Action<string> inform, TimeSpan? timeout, CancellationToken cancellationToken);

    /// <summary>Every device the store knows of, with its holder and waiters.</summary>
    /// <exception cref="LeaseStoreException">The store cannot be read.</exception>
    Task<IReadOnlyList<DeviceLeaseState>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// An operator's release of <paramref name="deviceName"/>: refused while a live holder has it, unless
    /// <paramref name="force"/>.
    /// </summary>
    /// <exception cref="LeaseStoreException">The store cannot be used.</exception>
    Task<LeaseRelease> ReleaseAsync(string deviceName, bool force, CancellationToken cancellationToken);
}
