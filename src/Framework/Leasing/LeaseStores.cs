using DeviceTest.Framework.Leasing.Etcd;

namespace DeviceTest.Framework.Leasing;

/// <summary>
/// Opens the lease store a run uses: the one named by <c>--leases</c> or <c>&lt;DeviceTest&gt;&lt;Leases&gt;</c>, else by
/// <c>DEVICETEST_LEASES</c>, else lock files on this machine. A name is an etcd URL (<c>etcd://h1:2379,h2:2379</c>,
/// <c>etcds://...</c>, see <see cref="EtcdLeaseOptions"/>) or the folder of a lock-file store (<c>file:///path</c> or
/// an absolute path).
/// </summary>
public static class LeaseStores
{
    /// <summary>The environment variable that names the store when the command line and runsettings do not.</summary>
    public const string EnvironmentVariable = "DEVICETEST_LEASES";

    /// <summary>The store named by <paramref name="given"/>, else by the environment, else <paramref name="defaultDirectory"/>
    /// (<see cref="LeaseDirectory.Default"/> when null).</summary>
    /// <exception cref="FormatException">The name is not a store; the message says how to write one.</exception>
    public static ILeaseStore Open(string? given, LeaseDirectory? defaultDirectory = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var name = !string.IsNullOrWhiteSpace(given) ? given.Trim() : environment(EnvironmentVariable)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return new LockFileLeaseStore(defaultDirectory ?? LeaseDirectory.Default());
        }

        if (EtcdLeaseOptions.IsEtcdUrl(name))
        {
            return new EtcdLeaseStore(EtcdLeaseOptions.Parse(name, environment));
        }

        if (name.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            name = new Uri(name).LocalPath;
        }

        if (Path.IsPathFullyQualified(name))
        {
            return new LockFileLeaseStore(new LeaseDirectory(name));
        }

        throw new FormatException(
            $"'{Shown(name)}' names no lease store: write etcd://h1:2379,h2:2379,h3:2379 (etcds:// for TLS) for etcd, or the " +
            "absolute path of a lock-file folder; leave it out for lock files on this machine.");
    }

    private static string Shown(string name) => name.Contains('@', StringComparison.Ordinal) ? "***" + name[name.LastIndexOf('@')..] : name;
}
