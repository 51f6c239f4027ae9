using System.Globalization;
using System.Text.RegularExpressions;

namespace DeviceTest.Framework.Leasing;

/// <summary>
/// The default store: OS file locks in a <see cref="LeaseDirectory"/> on this machine. Acquiring takes the first free
/// device of the candidates, else polls every 250 ms (telling the user once who holds them) until one is free, the
/// wait times out, or the run is cancelled. There is no queue: whoever polls first after a release gets the device.
/// </summary>
public sealed class LockFileLeaseStore(LeaseDirectory directory, TimeProvider time) : ILeaseStore
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public LockFileLeaseStore(LeaseDirectory directory)
        : this(directory, TimeProvider.System)
    {
    }

    public LeaseDirectory Directory { get; } = directory;

    public string Location => $"lock files in {Directory.Path}";

    public async Task<IDeviceLease> AcquireAsync(
        IReadOnlyList<string> candidates,
        Action<string> inform,
        TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(inform);
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count);
        var started = time.GetTimestamp();
        var told = false;
        while (true)
        {
            foreach (var candidate in candidates)
            {
                var lease = Directory.TryAcquire(candidate);
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
                    "Wait for the other run to end, or raise <DeviceTest><LeaseTimeout> in the runsettings (--lease-timeout).");
            }

            if (!told)
            {
                told = true;
                inform($"DeviceTest: waiting for a device; in use by another run: {Describe(candidates)}. " +
                    $"Locks are in {Directory.Path}.");
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<DeviceLeaseState>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<DeviceLeaseState> states = [.. Directory.DeviceNames().Select(name => new DeviceLeaseState(
            name,
            Directory.IsHeld(name) ? Holder(name) ?? UnknownHolder() : null,
            []) { TracksWaiters = false })];
        return Task.FromResult(states);
    }

    public Task<LeaseRelease> ReleaseAsync(string deviceName, bool force, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceName);
        if (!Directory.IsHeld(deviceName))
        {
            Directory.Remove(deviceName);
            return Task.FromResult(new LeaseRelease(true, $"device '{deviceName}' was not held; its lock files in {Directory.Path} are removed."));
        }

        var holder = Holder(deviceName)?.Describe(time.GetLocalNow()) ?? "a process of this user";
        if (!force)
        {
            return Task.FromResult(new LeaseRelease(
                false,
                $"device '{deviceName}' is held by a live run: {holder}. A lock file's lock ends with its process: end that " +
                "run (kill its process), or remove the lock with --force (the run is not told and may go on using the device)."));
        }

        Directory.Remove(deviceName);
        return Task.FromResult(new LeaseRelease(
            true,
            $"removed the lock of device '{deviceName}' (held by {holder}); that run was not told and may still use the device."));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The holder as <see cref="LeaseDirectory.DescribeHolder"/> reads its note ("process 1234 since 2025-01-02 03:04:05").</summary>
    private LeaseHolder? Holder(string deviceName)
    {
        if (Directory.DescribeHolder(deviceName) is not { } note || OwnerNote.Match(note) is not { Success: true } match)
        {
            return null;
        }

        return new LeaseHolder
        {
            Host = Environment.MachineName,
            User = Environment.UserName,
            ProcessId = int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture),
            Since = DateTime.SpecifyKind(
                DateTime.ParseExact(match.Groups["since"].Value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                DateTimeKind.Local),
        };
    }

    private LeaseHolder UnknownHolder() => new()
    {
        Host = Environment.MachineName,
        User = Environment.UserName,
        ProcessId = 0,
        Since = time.GetLocalNow(),
    };

    private string Describe(IReadOnlyList<string> candidates) =>
        string.Join(", ", candidates.Select(name => Holder(name) is { } holder
            ? $"'{name}' (held by {holder.Describe(time.GetLocalNow())})"
            : Directory.DescribeHolder(name) is { } note ? $"'{name}' ({note})" : $"'{name}'"));

    private static readonly Regex OwnerNote = new(@"^process (?<pid>\d+) since (?<since>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)$");
}
