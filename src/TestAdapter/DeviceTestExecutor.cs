using System.Globalization;
using DeviceTest.Framework.Leasing;
using DeviceTest.TestAdapter.Discovery;
using DeviceTest.TestAdapter.Execution;
using DeviceTest.TestAdapter.JUnit;
using DeviceTest.TestAdapter.Settings;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter;

/// <summary>
/// Runs DeviceTest tests on devices: leases a device (or several, with <c>Parallel</c>), runs the selected tests of
/// each spec and suite there, and records each result as it finishes. <see cref="Cancel"/> stops what runs on the
/// device and never throws. When the run surely has tests (no filter), its one SSH device is opened while they are
/// discovered (<see cref="DeviceHeadStart"/>); results reach VSTest on a thread of their own (<see cref="ResultRecorder"/>).
/// </summary>
[ExtensionUri(AdapterConstants.ExecutorUriString)]
public sealed class DeviceTestExecutor : ITestExecutor2
{
    private readonly AdapterServices _services;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _cancellation;
    private ResultRecorder? _recorder;
    private bool _cancelRequested;

    public DeviceTestExecutor()
        : this(AdapterServices.Default)
    {
        // The test host calls RunTests about 50 ms after creating the executor: time to get the readers ready.
        RunWarmUp.Start();
    }

    internal DeviceTestExecutor(AdapterServices services)
    {
        AdapterTrace.Mark("executor: created");
        _services = services;
    }

    /// <summary>Runs the given tests (Test Explorer's "run selected"): exactly these, with their specs' reboot steps.</summary>
    public void RunTests(IEnumerable<TestCase>? tests, IRunContext? runContext, IFrameworkHandle? frameworkHandle)
    {
        ArgumentNullException.ThrowIfNull(tests);
        ArgumentNullException.ThrowIfNull(frameworkHandle);
        var selected = tests.ToList();
        var sources = selected.Select(t => t.Source).Distinct(StringComparer.Ordinal).ToList();
        Run(runContext, frameworkHandle, sources, surelyRuns: selected.Count > 0, recorder =>
        {
            var discovered = sources.Select(source => _services.Discovery.Discover(source, logger: null)).ToList();
            var known = discovered.SelectMany(s => s.AllTestCases).Select(t => t.Id).ToHashSet();
            foreach (var missing in selected.Where(t => !known.Contains(t.Id)))
            {
                recorder.Record(VsTestResults.NotRun(
                    missing,
                    TestOutcome.NotFound,
                    $"'{missing.FullyQualifiedName}' is no longer in {Path.GetFileName(missing.Source)}'s specs or suites; rebuild and discover again."));
            }

            var ids = selected.Select(t => t.Id).ToHashSet();
            return (discovered, (Func<TestCase, bool>)(t => ids.Contains(t.Id)));
        });
    }

    /// <summary>Discovers and runs every test of the sources (<c>dotnet test</c>), honouring <c>--filter</c>.</summary>
    public void RunTests(IEnumerable<string>? sources, IRunContext? runContext, IFrameworkHandle? frameworkHandle)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(frameworkHandle);
        var sourceList = sources.ToList();
        ITestCaseFilterExpression? filter = null;
        string? filterError = null;
        try
        {
            filter = runContext?.GetTestCaseFilter(DeviceTestProperties.FilterNames, DeviceTestProperties.ForFilterName);
        }
        catch (TestPlatformFormatException e)
        {
            filterError = $"DeviceTest: the test filter is not valid: {e.Message} Filter on {string.Join(", ", DeviceTestProperties.FilterNames)}.";
        }

        // Without a filter every test runs; with one, maybe none (a solution's other projects, --filter for one test).
        Run(runContext, frameworkHandle, sourceList, surelyRuns: filter is null && filterError is null && sourceList.Count > 0, recorder =>
        {
            if (filterError is not null)
            {
                recorder.Message(TestMessageLevel.Error, filterError);
                return null;
            }

            var discovered = sourceList.Select(source => _services.Discovery.Discover(source, frameworkHandle)).ToList();
            return (discovered, filter is null
                ? (Func<TestCase, bool>)(_ => true)
                : t => filter.MatchTestCase(t, name => DeviceTestProperties.FilterValue(t, name)));
        });
    }

    public void Cancel()
    {
        try
        {
            lock (_gate)
            {
                _cancelRequested = true;
                _recorder?.Cancel();
                _cancellation?.Cancel();
            }
        }
#pragma warning disable CA1031 // Cancel must never throw (VSTest contract).
        catch (Exception)
#pragma warning restore CA1031
        {
            // The source may already be disposed when the run just ended: nothing left to stop.
        }
    }

    public bool ShouldAttachToTestHost(IEnumerable<string>? sources, IRunContext runContext) => true;

    public bool ShouldAttachToTestHost(IEnumerable<TestCase>? tests, IRunContext runContext) => true;

    /// <param name="runContext">VSTest's run context (the runsettings, the results folder).</param>
    /// <param name="handle">Where results and messages go.</param>
    /// <param name="sources">The test dlls, in the order <paramref name="select"/> discovers them.</param>
    /// <param name="surelyRuns">True when tests will run if the sources have any (no filter): the run's device is then
    /// opened while <paramref name="select"/> discovers them (<see cref="DeviceHeadStart"/>).</param>
    /// <param name="select">Discovers the sources and chooses the tests to run; null: nothing runs (it said why).</param>
    private void Run(
        IRunContext? runContext,
        IFrameworkHandle handle,
        IReadOnlyList<string> sources,
        bool surelyRuns,
        Func<ResultRecorder, (List<SourceTests> Sources, Func<TestCase, bool> IsSelected)?> select)
    {
        AdapterTrace.Mark("executor: run starts");
        using var recorder = new ResultRecorder(handle);
        using var cancellation = new CancellationTokenSource();
        lock (_gate)
        {
            _recorder = recorder;
            _cancellation = cancellation;
            if (_cancelRequested)
            {
                cancellation.Cancel();
            }
        }

        try
        {
            RunSelected(runContext, recorder, sources, surelyRuns, select, cancellation.Token);

            // Every result is with VSTest before RunTests returns.
            recorder.Complete();
        }
        finally
        {
            lock (_gate)
            {
                _recorder = null;
                _cancellation = null;
            }

            AdapterTrace.Mark("executor: run returns", withProcessorTime: true);
        }
    }

    private void RunSelected(
        IRunContext? runContext,
        ResultRecorder recorder,
        IReadOnlyList<string> sources,
        bool surelyRuns,
        Func<ResultRecorder, (List<SourceTests> Sources, Func<TestCase, bool> IsSelected)?> select,
        CancellationToken cancellationToken)
    {
        DeviceHeadStart? headStart = null;
        try
        {
            var settings = RunSettingsReader.Read(runContext?.RunSettings?.SettingsXml);
            (string? ProjectDirectory, DevicePool Pool)? early = surelyRuns && !settings.HasErrors ? EarlyPool(settings.Settings, sources) : null;
            if (early is { Pool: { Error: null, Devices: [var only] } } && DeviceHeadStart.Fits(only))
            {
                headStart = DeviceHeadStart.Start(_services.Devices, only, cancellationToken);
                AdapterTrace.Mark($"executor: opening device '{only.Name}' ahead");
            }

            if (select(recorder) is not { } selection)
            {
                return;
            }

            AdapterTrace.Mark("executor: discovered");
            var items = RunPlanner.Plan(selection.Sources, selection.IsSelected);
            if (items.Count == 0)
            {
                return;
            }

            if (settings.HasErrors)
            {
                foreach (var error in settings.Errors)
                {
                    recorder.Message(TestMessageLevel.Error, $"DeviceTest: {error}");
                }

                SkipAll(recorder, items, "not run: the runsettings have errors (see the DeviceTest message above)");
                return;
            }

            var projectDirectory = selection.Sources.Select(s => s.ProjectDirectory).FirstOrDefault(d => d is not null);
            var pool = early is { } known && known.ProjectDirectory == projectDirectory
                ? known.Pool
                : DevicePool.Resolve(settings.Settings, projectDirectory);
            if (pool.Error is not null)
            {
                recorder.Message(TestMessageLevel.Error, pool.Error);
                SkipAll(recorder, items, "not run: no device to run on (see the DeviceTest message above)");
                return;
            }

            var lists = new List<DeployList>();
            foreach (var source in selection.Sources)
            {
                if (DeployList.TryRead(source.Source, out var listError) is { } list)
                {
                    lists.Add(list);
                }
                else if (listError is not null)
                {
                    recorder.Message(TestMessageLevel.Error, $"DeviceTest: {listError}");
                    SkipAll(recorder, items.Where(i => i.TestCases.Any(t => t.Source == source.Source)), "not run: the DeviceArtifact list cannot be read (see the DeviceTest message above)");
                    items = [.. items.Where(i => i.TestCases.All(t => t.Source != source.Source))];
                }
            }

            var flashing = ReadFlashList(recorder, selection.Sources.Select(s => s.Source), ref items);
            ILeaseStore leases;
            try
            {
                leases = LeaseStores.Open(settings.Settings.Leases, _services.Leases);
            }
            catch (FormatException e)
            {
                recorder.Message(TestMessageLevel.Error, $"DeviceTest: <DeviceTest><Leases> (or {LeaseStores.EnvironmentVariable}): {e.Message}");
                SkipAll(recorder, items, "not run: the lease store is not valid (see the DeviceTest message above)");
                return;
            }

            var session = new ExecutionSession(
                recorder,
                _services.Devices,
                leases,
                settings.Settings,
                ResultsDirectory(runContext),
                new ArtifactDeployment(lists, recorder),
                flashing,
                headStart);
            SyncBridge.Run(async () =>
            {
                await using (leases.ConfigureAwait(false))
                {
                    await session.RunAsync(items, pool.Devices, cancellationToken).ConfigureAwait(false);
                }
            });
        }
        finally
        {
            if (headStart is not null)
            {
                // An opening the session did not take (no test for the device after all, a setup error): closed here.
                SyncBridge.Run(() => headStart.DisposeAsync().AsTask());
            }
        }
    }

    /// <summary>
    /// The device pool as the run will resolve it, before discovery: the project folder from the sources' spec
    /// manifests (as discovery finds it), so that the run's device can be opened while the tests are discovered.
    /// </summary>
    private static (string? ProjectDirectory, DevicePool Pool) EarlyPool(DeviceTestSettings settings, IReadOnlyList<string> sources)
    {
        var projectDirectory = sources.Select(source => SpecManifest.TryRead(source, out _)?.ProjectDirectory).FirstOrDefault(d => d is not null);
        return (projectDirectory, DevicePool.Resolve(settings, projectDirectory));
    }

    /// <summary>
    /// Reports every selected test as not run: the run already failed with one clear error message, and listing the
    /// tests keeps VSTest from adding a misleading "no test is available".
    /// </summary>
    private static void SkipAll(ResultRecorder recorder, IEnumerable<PlannedWorkItem> items, string reason)
    {
        foreach (var testCase in items.SelectMany(i => i.TestCases))
        {
            recorder.Record(VsTestResults.NotRun(testCase, TestOutcome.Skipped, reason));
        }
    }

    /// <summary>The DeviceImage to write before the tests (the first test dll's list that has one), or null.</summary>
    private static ImageFlashing? ReadFlashList(ResultRecorder recorder, IEnumerable<string> sources, ref List<PlannedWorkItem> items)
    {
        foreach (var source in sources)
        {
            if (FlashList.TryRead(source, out var error) is { } list)
            {
                return new ImageFlashing(list, recorder);
            }

            if (error is not null)
            {
                recorder.Message(TestMessageLevel.Error, $"DeviceTest: {error}");
                SkipAll(recorder, items.Where(i => i.TestCases.Any(t => t.Source == source)), "not run: the DeviceImage list cannot be read (see the DeviceTest message above)");
                items = [.. items.Where(i => i.TestCases.All(t => t.Source != source))];
            }
        }

        return null;
    }

    private static string ResultsDirectory(IRunContext? runContext)
    {
        var root = runContext?.TestRunDirectory is { Length: > 0 } directory
            ? directory
            : Path.Combine(Path.GetTempPath(), "devicetest-results");
        var name = string.Create(CultureInfo.InvariantCulture, $"DeviceTest-{DateTime.Now:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        return Path.Combine(root, name);
    }
}
