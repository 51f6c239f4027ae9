using DeviceTest.Framework.Leasing;
using DeviceTest.Framework.Running;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.TestAdapter.Settings;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;
using VsTestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Runs work items (specs, suites) on the device pool: up to <c>Parallel</c> workers, each leasing one free device
/// (waiting when all are leased by other runs) and taking the items that device may run (its tags, see
/// <see cref="TagRouting"/>) until none is left for it; then it leases another device for what remains, or stops.
/// Items that no device of the pool may run are skipped with the reason. A device opened ahead
/// (<see cref="DeviceHeadStart"/>) is taken where the device would be opened.
/// </summary>
internal sealed class ExecutionSession(
    ResultRecorder recorder,
    IDeviceProvider devices,
    ILeaseStore broker, // Leases: lock files on this machine, or etcd
    DeviceTestSettings settings,
    string resultsDirectory,
    ArtifactDeployment? deployment = null,
    ImageFlashing? flashing = null,
    DeviceHeadStart? headStart = null)
{
    private readonly Lock _gate = new();
    private readonly List<(PlannedWorkItem Item, IReadOnlyList<string> Tags)> _pending = [];
    private readonly Dictionary<string, IDeviceLease> _held = new(StringComparer.Ordinal);
    private readonly HashSet<string> _broken = new(StringComparer.Ordinal);
    private string? _lastProblem;

    public async Task RunAsync(IReadOnlyList<PlannedWorkItem> items, IReadOnlyList<DeviceConfig> pool, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            var tags = TagRouting.RoutingTags(item, pool);
            if (pool.Any(d => TagRouting.Has(d, tags)))
            {
                _pending.Add((item, tags));
            }
            else
            {
                SkipAll(item.TestCases, TagRouting.NoDeviceReason(tags, pool));
            }
        }

        if (_pending.Count == 0)
        {
            return;
        }

        var workers = Math.Max(1, Math.Min(settings.Parallel, Math.Min(pool.Count, _pending.Count)));
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkerAsync(pool, cancellationToken), CancellationToken.None)))
            .ConfigureAwait(false);

        if (!cancellationToken.IsCancellationRequested)
        {
            foreach (var (left, _) in _pending)
            {
                FailAll(left.TestCases, _lastProblem ?? "no device was available");
            }
        }
    }

    private async Task WorkerAsync(IReadOnlyList<DeviceConfig> pool, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && Candidates(pool) is { Count: > 0 } candidates)
        {
            IDeviceLease lease;
            try
            {
                lease = await broker.AcquireAsync(
                    candidates.Select(d => d.Name).ToList(),
                    message =>
                    {
                        // Another run holds the device: it is opened once leased, not from before the wait.
                        headStart?.Abandon();
                        recorder.Message(TestMessageLevel.Warning, message);
                    },
                    settings.LeaseTimeout,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is TimeoutException or UnauthorizedAccessException)
            {
                _lastProblem = e.Message;
                return;
            }
            catch (LeaseStoreException e)
            {
                // Leases: etcd is out of reach (no quorum), or refused us.
                _lastProblem = e.Message;
                recorder.Message(TestMessageLevel.Error, $"DeviceTest: {e.Message}");
                return;
            }

            AdapterTrace.Mark($"session: leased '{lease.DeviceName}'");
            var config = pool.First(d => d.Name == lease.DeviceName);
            lock (_gate)
            {
                _held.Add(config.Name, lease);
            }

            try
            {
                await using (lease.ConfigureAwait(false))
                {
                    // Leases: a lost lease stops the work on the device at once (another run may hold it by now).
                    using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
                    await RunOnDeviceAsync(config, held.Token).ConfigureAwait(false);
                    if (LostLease(config.Name) is { } lost)
                    {
                        recorder.Message(TestMessageLevel.Error, $"DeviceTest: {lost}");
                    }
                }

            }
            finally
            {
                lock (_gate)
                {
                    _held.Remove(config.Name);
                }
            }
        }
    }

    /// <summary>
    /// The devices a worker may lease next: not held by another worker of this run, not found broken, and fit for a
    /// pending item; those fit for the first pending item first. Empty when the other workers' devices cover what is left.
    /// </summary>
    private List<DeviceConfig> Candidates(IReadOnlyList<DeviceConfig> pool)
    {
        lock (_gate)
        {
            var free = pool.Where(d => !_held.ContainsKey(d.Name) && !_broken.Contains(d.Name)).ToList();
            var usable = free.Where(d => _pending.Any(p => TagRouting.Has(d, p.Tags))).ToList();
            return _pending.Count == 0
                ? []
                : [.. usable.OrderBy(d => TagRouting.Has(d, _pending[0].Tags) ? 0 : 1)];
        }
    }

    /// <summary>The next pending item that <paramref name="device"/> may run, taken off the list; null when none.</summary>
    private PlannedWorkItem? Take(DeviceConfig device)
    {
        lock (_gate)
        {
            var index = _pending.FindIndex(p => TagRouting.Has(device, p.Tags));
            if (index < 0)
            {
                return null;
            }

            var item = _pending[index].Item;
            _pending.RemoveAt(index);
            return item;
        }
    }

    private async Task RunOnDeviceAsync(DeviceConfig config, CancellationToken cancellationToken)
    {
        IDevice device;
        try
        {
            device = await (headStart?.Take(config.Name, cancellationToken) ?? devices.OpenAsync(config, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is DeviceUnreachableException or NotSupportedException or IOException or TimeoutException or ArgumentException)
        {
            _lastProblem = $"cannot open device '{config.Name}': {e.Message}";
            recorder.Message(TestMessageLevel.Error, $"DeviceTest: {_lastProblem}");
            lock (_gate)
            {
                _broken.Add(config.Name);
            }

            return;
        }

        AdapterTrace.Mark($"session: device '{config.Name}' open");
        await using (device.ConfigureAwait(false))
        {
            // The project's DeviceImage first (docs/flash.md): a device whose flash failed runs none of its tests.
            if (flashing is not null && await flashing.FlashAsync(device, config.Name, cancellationToken).ConfigureAwait(false) is { } flashProblem)
            {
                _lastProblem = flashProblem;
                recorder.Message(TestMessageLevel.Error, $"DeviceTest: {flashProblem}");
                lock (_gate)
                {
                    _broken.Add(config.Name);
                }

                return;
            }

            if (deployment is { IsEmpty: false } && await DeployAsync(deployment, device, config.Name, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                _lastProblem = problem;
                recorder.Message(TestMessageLevel.Error, $"DeviceTest: {problem}");
                lock (_gate)
                {
                    _broken.Add(config.Name);
                }

                return;
            }

            while (!cancellationToken.IsCancellationRequested && Take(config) is { } item)
            {
                await RunItemAsync(item, device, config.Name, cancellationToken).ConfigureAwait(false);
                AdapterTrace.Mark($"session: {item.Description} ran");
            }
        }

        AdapterTrace.Mark($"session: device '{config.Name}' closed");
    }

    /// <summary>Puts the DeviceArtifact items on the device; null when done or cancelled, else why the device cannot be used.</summary>
    private static async Task<string?> DeployAsync(ArtifactDeployment deployment, IDevice device, string deviceName, CancellationToken cancellationToken)
    {
        try
        {
            return await deployment.DeployAsync(device, deviceName, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (DeviceUnreachableException e)
        {
            return $"{Hardware.Deployment.DeployCodes.Unreachable}: cannot deploy the DeviceArtifact items to device '{deviceName}': {e.Message}";
        }
    }

    // deviceName: the device's name in the devices file, which results carry (an entry without transport sections is
    // this machine, whose IDevice.Name is always "local").
    private async Task RunItemAsync(PlannedWorkItem item, IDevice device, string deviceName, CancellationToken cancellationToken)
    {
        var observer = new VsTestObserver(item, deviceName, recorder);
        var work = item.Create(new WorkItemSettings(
            settings.DefaultTimeout,
            resultsDirectory,
            deployment is { IsEmpty: false } ? (_, ct) => RedeployAsync(deployment, device, deviceName, ct) : null)
        {
            // Leases: each test's environment names the device; no test starts once its lease is lost.
            Environment = new Dictionary<string, string>(StringComparer.Ordinal) { [RunOptions.DeviceVariable] = deviceName },
            BeforeTest = (_, _) =>
            {
                HeldLease(deviceName)?.ThrowIfLost();
                return Task.CompletedTask;
            },
        });
        var problem = await GuardAsync(item, device, () => work.RunAsync(device, observer, cancellationToken), cancellationToken)
            .ConfigureAwait(false);

        // Leases: the tests a lost lease kept from running fail with the reason.
        var lostLease = LostLease(deviceName);
        if (!cancellationToken.IsCancellationRequested || lostLease is not null)
        {
            FailAll(observer.Unreported.ToList(), lostLease ?? problem ?? $"not run on device '{deviceName}'");
        }
    }

    /// <summary>After a reboot step: the DeviceArtifact items again (a root in RAM, or an OTA update, may have lost them).</summary>
    private static async Task RedeployAsync(ArtifactDeployment deployment, IDevice device, string deviceName, CancellationToken cancellationToken)
    {
        if (await deployment.DeployAsync(device, deviceName, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            throw new IOException(problem);
        }
    }

    /// <summary>Runs one item; a device that stops answering, or a bug, fails its tests instead of the whole run.</summary>
    private async Task<string?> GuardAsync(PlannedWorkItem item, IDevice device, Func<Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await run().ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (DeviceUnreachableException e)
        {
            var message = $"device '{device.Name}' cannot be reached: {e.Message}";
            recorder.Message(TestMessageLevel.Error, $"DeviceTest: {item.Description}: {message}");
            return message;
        }
#pragma warning disable CA1031 // The adapter must report, not crash the test host: anything else is a DeviceTest bug.
        catch (Exception e)
#pragma warning restore CA1031
        {
            recorder.Message(TestMessageLevel.Error, $"DeviceTest: {item.Description} stopped by an internal error: {e}");
            return $"internal error: {e.Message}";
        }
    }

    // Leases: the lease this run holds on a device, and why it was lost (null while held).
    private IDeviceLease? HeldLease(string deviceName)
    {
        lock (_gate)
        {
            return _held.GetValueOrDefault(deviceName);
        }
    }

    private string? LostLease(string deviceName) => HeldLease(deviceName) is { Lost.IsCancellationRequested: true } lease
        ? $"lost the lease on device '{deviceName}' ({lease.LostReason}); stopped using it, as another run may hold it now"
        : null;

    private void FailAll(IReadOnlyList<TestCase> testCases, string reason)
    {
        foreach (var testCase in testCases)
        {
            recorder.Record(VsTestResults.NotRun(testCase, VsTestOutcome.Failed, reason));
        }
    }

    private void SkipAll(IReadOnlyList<TestCase> testCases, string reason)
    {
        foreach (var testCase in testCases)
        {
            recorder.Record(VsTestResults.NotRun(testCase, VsTestOutcome.Skipped, reason));
        }
    }
}
