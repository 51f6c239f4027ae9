namespace DeviceTest.TestAdapter.Settings;

/// <summary>
/// The runsettings section <c>&lt;DeviceTest&gt;</c>. Each key can also be given on the command line:
/// <c>dotnet test -- DeviceTest.Device=qemu-x86</c>.
/// </summary>
internal sealed class DeviceTestSettings
{
    public static DeviceTestSettings Default { get; } = new();

    /// <summary>The device to run on; null: any device with <see cref="Tags"/>, or <c>local</c>.</summary>
    public string? Device { get; init; }

    /// <summary>Tags a device must have; with no <see cref="Device"/>, every matching device forms the pool.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// The devices file (absolute when the runsettings came from a file; relative ones are under the project folder);
    /// null: DEVICETEST_DEVICES, then devices.yml.
    /// </summary>
    public string? DevicesFile { get; init; }

    /// <summary>A test's timeout when its spec gives none; null: the engine's default (10 minutes).</summary>
    public TimeSpan? DefaultTimeout { get; init; }

    /// <summary>How many devices run at once (specs and suites side by side).</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>How long to wait for a leased device before the run fails; null: wait as long as it takes.</summary>
    public TimeSpan? LeaseTimeout { get; init; }

    /// <summary>Where leases live: an etcd URL (<c>etcd://h1:2379,h2:2379</c>); null: DEVICETEST_LEASES, then lock files
    /// on this machine (see <see cref="Framework.Leasing.LeaseStores"/>).</summary>
    public string? Leases { get; init; }
}
