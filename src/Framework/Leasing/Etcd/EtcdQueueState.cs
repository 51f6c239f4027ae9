namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>The candidates of one request as etcd had them at <see cref="Revision"/>: each one's holder key and its
/// waiters' keys, oldest first.</summary>
internal sealed class EtcdQueueState(long revision, bool stillQueued)
{
    public long Revision { get; } = revision;

    /// <summary>Whether the request's own waiter keys still exist (they vanish with a lost lease).</summary>
    public bool StillQueued { get; } = stillQueued;

    public Dictionary<string, EtcdKeyValue?> Holders { get; } = new(StringComparer.Ordinal);

    /// <summary>Each candidate's waiter keys (keys only), oldest first.</summary>
    public Dictionary<string, IReadOnlyList<EtcdKeyValue>> Waiters { get; } = new(StringComparer.Ordinal);

    public bool IsFree(string device) => Holders.GetValueOrDefault(device) is null;

    /// <summary>How many requests queued for <paramref name="device"/> before the one queued at <paramref name="revision"/>.</summary>
    public int Ahead(string device, long revision) => WaitersAhead(device, revision).Count();

    /// <summary>The waiter keys of <paramref name="device"/> queued before the request queued at <paramref name="revision"/>.</summary>
    public IEnumerable<EtcdKeyValue> WaitersAhead(string device, long revision) =>
        Waiters.GetValueOrDefault(device)?.Where(kv => kv.CreateRevision < revision) ?? [];
}
