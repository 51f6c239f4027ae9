namespace DeviceTest.Framework.Leasing;

/// <summary>The lease store cannot be used: etcd does not answer (no quorum), refuses the credentials, or the run's
/// lease was lost. The message says which store, what failed and what to do.</summary>
public sealed class LeaseStoreException : Exception
{
    public LeaseStoreException()
    {
    }

    public LeaseStoreException(string message)
        : base(message)
    {
    }

    public LeaseStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
