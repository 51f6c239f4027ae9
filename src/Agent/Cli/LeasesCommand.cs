using System.CommandLine;
using DeviceTest.Framework.Leasing;

namespace DeviceTest.Agent.Cli;

/// <summary>
/// <c>devicetest leases [--leases URL] [--devices FILE]</c>: every device the lease store knows (and those of the
/// devices file), who holds it (host, process, user, since) and who waits for it, first in line first.
/// <c>--release DEVICE</c> frees a device for an operator: refused while a live run holds it, unless <c>--force</c>.
/// </summary>
internal static class LeasesCommand
{
    /// <summary>The <c>--leases</c> option, shared with <c>run</c>.</summary>
    public static Option<string?> LeasesOption() => new("--leases")
    {
        Description = $"Where device leases live: etcd://h1:2379,h2:2379,h3:2379 (etcds:// for TLS). Default: ${LeaseStores.EnvironmentVariable}, then lock files on this machine.",
    };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var leases = LeasesOption();
        var devices = new Option<string?>("--devices") { Description = "The devices file whose devices are listed too (default: $DEVICETEST_DEVICES, then ./devices.yml)." };
        var release = new Option<string?>("--release") { Description = "Free this device (an operator's fix for a stuck run)." };
        var force = new Option<bool>("--force") { Description = "With --release: free it even from a live run, which then loses its lease and stops." };
        var command = new Command("leases", "List who holds and who waits for each device; free a device with --release.") { leases, devices, release, force };
        command.SetAction(async (parse, _) =>
        {
            if (parse.GetValue(force) && parse.GetValue(release) is null)
            {
                await error.WriteLineAsync("devicetest: --force goes with --release DEVICE");
                return ExitCodes.BadInput;
            }

            ILeaseStore store;
            try
            {
                store = LeaseStores.Open(parse.GetValue(leases));
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"devicetest: {(parse.GetValue(leases) is null ? LeaseStores.EnvironmentVariable : "--leases")}: {e.Message}");
                return ExitCodes.BadInput;
            }

            using var cancellation = new CancellationScope(error);
            await using (store)
            {
                try
                {
                    return parse.GetValue(release) is { } device
                        ? await ReleaseAsync(store, device, parse.GetValue(force), output, error, cancellation.Token)
                        : await ListAsync(store, parse.GetValue(devices), output, error, cancellation.Token);
                }
                catch (LeaseStoreException e)
                {
                    await error.WriteLineAsync($"devicetest: {e.Message}");
                    return ExitCodes.DeviceUnreachable;
                }
            }
        });
        return command;
    }

    private static async Task<int> ReleaseAsync(ILeaseStore store, string device, bool force, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var released = await store.ReleaseAsync(device, force, cancellationToken);
        await (released.Done ? output : error).WriteLineAsync($"devicetest: {released.Message}");
        return released.Done ? ExitCodes.Success : ExitCodes.BadInput;
    }

    private static async Task<int> ListAsync(ILeaseStore store, string? devicesFile, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var states = (await store.ListAsync(cancellationToken)).ToList();
        var configured = devicesFile is not null || Hardware.Configuration.DeviceFileLocator.Locate(null) is not null
            ? await DeviceArgument.LoadAsync(devicesFile, error)
            : null;
        foreach (var name in configured?.Devices.Select(d => d.Name) ?? [])
        {
            if (!states.Any(s => s.DeviceName == name))
            {
                states.Add(new DeviceLeaseState(name, null, []));
            }
        }

        var now = DateTimeOffset.Now;
        await output.WriteLineAsync($"leases: {store.Location}");
        if (states.Count == 0)
        {
            await output.WriteLineAsync("  no device is held or waited for");
        }

        var width = states.Count == 0 ? 0 : states.Max(s => s.DeviceName.Length);
        foreach (var state in states.OrderBy(s => s.DeviceName, StringComparer.Ordinal))
        {
            var holder = state.Holder is { } held ? $"held by {held.Describe(now)}" : "free";
            await output.WriteLineAsync($"  {state.DeviceName.PadRight(width)}  {holder}");
            for (var i = 0; i < state.Waiters.Count; i++)
            {
                await output.WriteLineAsync($"  {string.Empty.PadRight(width)}  waiting {i + 1}: {state.Waiters[i].Describe(now)}");
            }
        }

        if (states.Any(s => !s.TracksWaiters))
        {
            await output.WriteLineAsync("  (lock files keep no queue: waiting runs are not listed; --leases etcd://... shares leases between hosts)");
        }

        return ExitCodes.Success;
    }
}
