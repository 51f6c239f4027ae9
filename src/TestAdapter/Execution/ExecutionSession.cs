using System.Collections.Concurrent;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Suites;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.TestAdapter.Leasing;
using DeviceTest.TestAdapter.Settings;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;
using VsTestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Runs work items (specs, suites) on the device pool: up to <c>Parallel</c> workers, each leasing one free device
/// (waiting when all are leased by other runs) and taking items off a shared queue until it is empty.
/// </summary>
internal sealed class ExecutionSession(
    ResultRecorder recorder,
    IDeviceProvider devices,
    LeaseBroker broker,
    DeviceTestSettings settings,
    string resultsDirectory)
{
    private string? _lastProblem;

    public async Task RunAsync(IReadOnlyList<WorkItem> items, IReadOnlyList<DeviceConfig> pool, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }

        var queue = new ConcurrentQueue<WorkItem>(items);
        var workers = Math.Max(1, Math.Min(settings.Parallel, Math.Min(pool.Count, items.Count)));
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkerAsync(queue, pool, cancellationToken), CancellationToken.None)))
            .ConfigureAwait(false);

        if (!cancellationToken.IsCancellationRequested)
        {
            while (queue.TryDequeue(out var left))
            {
                FailAll(left.TestCases, _lastProblem ?? "no device was available");
            }
        }
    }

    private async Task WorkerAsync(ConcurrentQueue<WorkItem> queue, IReadOnlyList<DeviceConfig> pool, CancellationToken cancellationToken)
    {
        if (queue.IsEmpty)
        {
            return;
        }

        DeviceLease lease;
        try
        {
            lease = await broker.AcquireAsync(
                pool.Select(d => d.Name).ToList(),
                message => recorder.Message(TestMessageLevel.Warning, message),
                settings.LeaseTimeout,
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (TimeoutException e)
        {
            _lastProblem = e.Message;
            return;
        }

        using (lease)
        {
            var config = pool.First(d => d.Name == lease.DeviceName);
            IDevice device;
            try
            {
                device = await devices.OpenAsync(config, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is DeviceUnreachableException or NotSupportedException or IOException)
            {
                _lastProblem = $"cannot open device '{config.Name}': {e.Message}";
                recorder.Message(TestMessageLevel.Error, $"DeviceTest: {_lastProblem}");
                return;
            }

            await using (device.ConfigureAwait(false))
            {
                while (!cancellationToken.IsCancellationRequested && queue.TryDequeue(out var item))
                {
                    await RunItemAsync(item, device, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task RunItemAsync(WorkItem item, IDevice device, CancellationToken cancellationToken)
    {
        IEnumerable<TestCase> unreported;
        string? problem = null;
        switch (item)
        {
            case SpecWorkItem spec:
                var specObserver = new SpecObserver(spec, device.Name, recorder);
                problem = await GuardAsync(item, device, () => RunSpecAsync(spec, device, specObserver, cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
                unreported = specObserver.Unreported;
                break;
            case SuiteWorkItem suite:
                var suiteObserver = new SuiteObserver(suite, suite.TestCases[0].Source, device.Name, recorder);
                problem = await GuardAsync(
                    item,
                    device,
                    () => new SuiteRunner(new SuiteRunOptions { DefaultTimeout = settings.DefaultTimeout ?? TimeSpan.FromMinutes(10) })
                        .RunAsync(suite.Selected, device, suiteObserver, cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                unreported = suiteObserver.Unreported;
                break;
            default:
                throw new InvalidOperationException($"unknown work item {item.GetType().Name}");
        }

        if (!cancellationToken.IsCancellationRequested)
        {
            FailAll(unreported.ToList(), problem ?? $"not run on device '{device.Name}'");
        }
    }

    private Task<SpecRunOutcome> RunSpecAsync(SpecWorkItem item, IDevice device, SpecObserver observer, CancellationToken cancellationToken)
    {
        var options = new RunOptions
        {
            DefaultTimeout = settings.DefaultTimeout ?? new RunOptions().DefaultTimeout,
            ResultsDirectory = resultsDirectory,
            TestFilter = item.AllSelected ? null : item.IsSelected,
        };
        return new SpecRunner(device, options, observer).RunAsync(item.Spec.Spec, cancellationToken);
    }

    /// <summary>Runs one item; a device that stops answering, or a bug, fails its tests instead of the whole run.</summary>
    private async Task<string?> GuardAsync(WorkItem item, IDevice device, Func<Task> run, CancellationToken cancellationToken)
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
            recorder.Message(TestMessageLevel.Error, $"DeviceTest: {item.Describe()}: {message}");
            return message;
        }
#pragma warning disable CA1031 // The adapter must report, not crash the test host: anything else is a DeviceTest bug.
        catch (Exception e)
#pragma warning restore CA1031
        {
            recorder.Message(TestMessageLevel.Error, $"DeviceTest: {item.Describe()} stopped by an internal error: {e}");
            return $"internal error: {e.Message}";
        }
    }

    private void FailAll(IReadOnlyList<TestCase> testCases, string reason)
    {
        foreach (var testCase in testCases)
        {
            recorder.Record(VsTestResults.NotRun(testCase, VsTestOutcome.Failed, reason));
        }
    }
}
