namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// A device held through etcd: its holder key, created at <see cref="HolderRevision"/> and bound to the run's lease.
/// Disposing deletes that key, only if it is still this one (an operator may have revoked it, and another run may
/// hold the device by now).
/// </summary>
internal sealed class EtcdDeviceLease(string deviceName, long holderRevision, EtcdSession session, EtcdConnection connection) : IDeviceLease
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(3);
    private int _disposed;

    public string DeviceName { get; } = deviceName;

    public long HolderRevision { get; } = holderRevision;

    public CancellationToken Lost => session.Lost;

    public string? LostReason => session.IsLost ? session.LostReason : null;

    public void ThrowIfLost() => session.ThrowIfLost();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || session.IsLost)
        {
            return;
        }

        var key = EtcdKeys.Holder(DeviceName);
        var release = EtcdMessages.Txn([EtcdMessages.CreatedAt(key, HolderRevision)], [EtcdMessages.DeleteOp(key)]);
        try
        {
            await connection.TxnAsync($"releasing device '{DeviceName}'", release, CancellationToken.None, ReleaseTimeout).ConfigureAwait(false);
        }
        catch (LeaseStoreException)
        {
            // etcd is away: the hold ends with the run's lease (revoked when the store is disposed, else it expires).
        }
    }
}
