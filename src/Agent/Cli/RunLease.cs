using DeviceTest.Framework.Leasing;
using DeviceTest.Framework.Running;

namespace DeviceTest.Agent.Cli;

/// <summary>
/// The lease <c>devicetest run</c> holds on its device for the whole run, as <c>dotnet test</c> does: from the store
/// <c>--leases</c> or <c>DEVICETEST_LEASES</c> names (etcd), else lock files on this machine. Waiting says who holds
/// the device and for how long. Disposing releases the device and ends the run's etcd lease.
/// </summary>
internal sealed class RunLease : IAsyncDisposable
{
    private readonly ILeaseStore? _store;
    private readonly IDeviceLease? _lease;

    private RunLease(ILeaseStore? store, IDeviceLease? lease, int? exitCode)
    {
        _store = store;
        _lease = lease;
        ExitCode = exitCode;
    }

    /// <summary>Set when the device could not be leased (the reason was printed): the run's exit code.</summary>
    public int? ExitCode { get; }

    /// <summary>Cancelled when the lease is lost: the run stops touching the device.</summary>
    public CancellationToken Lost => _lease?.Lost ?? CancellationToken.None;

    public bool IsLost => _lease is { } lease && (lease.Lost.IsCancellationRequested || CheckedLost(lease));

    /// <summary>The lease from the store the request names; on failure <see cref="ExitCode"/> says how the run ends.</summary>
    public static async Task<RunLease> AcquireAsync(RunRequest request, string deviceName, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        TimeSpan? timeout = null;
        if (request.LeaseTimeout is { } text)
        {
            if (!Hardware.Yaml.DurationText.TryParse(text, out var parsed) || parsed <= TimeSpan.Zero)
            {
                await error.WriteLineAsync($"devicetest: --lease-timeout '{text}' is not a duration; write it like 90s, 30m or 1h");
                return new RunLease(null, null, ExitCodes.BadInput);
            }

            timeout = parsed;
        }

        ILeaseStore store;
        try
        {
            store = LeaseStores.Open(request.Leases);
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"devicetest: {(request.Leases is null ? LeaseStores.EnvironmentVariable : "--leases")}: {e.Message}");
            return new RunLease(null, null, ExitCodes.BadInput);
        }

        try
        {
            var lease = await store.AcquireAsync(
                [deviceName],
                message => output.WriteLine(message.Replace("DeviceTest: ", "devicetest: ", StringComparison.Ordinal)),
                timeout,
                cancellationToken);
            return new RunLease(store, lease, null);
        }
        catch (Exception e) when (e is TimeoutException or LeaseStoreException or OperationCanceledException)
        {
            await store.DisposeAsync();
            if (e is OperationCanceledException)
            {
                await output.WriteLineAsync("devicetest: stopped before any test ran.");
                return new RunLease(null, null, ExitCodes.TestsFailed);
            }

            await error.WriteLineAsync($"devicetest: device '{deviceName}' could not be leased: {e.Message}");
            return new RunLease(null, null, ExitCodes.DeviceUnreachable);
        }
    }

    /// <summary>For <see cref="RunOptions.BeforeTest"/>: no test starts once the lease is lost.</summary>
    public void ThrowIfLost() => _lease?.ThrowIfLost();

    /// <summary>Prints why the lease was lost, if it was; true then (the run exits with <see cref="ExitCodes.DeviceUnreachable"/>).</summary>
    public async Task<bool> ReportIfLostAsync(TextWriter error)
    {
        if (_lease is not { } lease || !IsLost)
        {
            return false;
        }

        await error.WriteLineAsync(
            $"devicetest: lost the lease on device '{lease.DeviceName}' ({lease.LostReason}); stopped without touching the device " +
            "again, as another run may hold it now. The tests that did not run are not in the results.");
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_lease is not null)
        {
            await _lease.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private static bool CheckedLost(IDeviceLease lease)
    {
        try
        {
            lease.ThrowIfLost();
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
