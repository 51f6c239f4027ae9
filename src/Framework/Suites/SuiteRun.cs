using System.Diagnostics.CodeAnalysis;
using DeviceTest.Framework.Results;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Framework.Suites;

/// <summary>One suite's run on one device: instance, setup, tests, teardown, dispose.</summary>
internal sealed class SuiteRun : IDisposable
{
    private readonly SuiteDescriptor _suite;
    private readonly IDevice _device;
    private readonly SuiteRunOptions _options;
    private readonly Running.IRunObserver? _observer;
    private readonly List<TestResult> _results;
    private readonly TestLogWriter _log;
    private readonly IDevice _suiteDevice;

    private bool _started;
    private object? _instance;
    private string? _sessionSkip;
    private string? _sessionFailure;
    private string? _sessionDetails;

    public SuiteRun(SuiteDescriptor suite, IDevice device, SuiteRunOptions options, Running.IRunObserver? observer, List<TestResult> results)
    {
        _suite = suite;
        _device = device;
        _options = options;
        _observer = observer;
        _results = results;
        _log = new TestLogWriter(options.MaxOutputChars);
        _suiteDevice = options.RecordCommands ? new TranscriptDevice(device, _log) : device;
    }

    private TimeProvider Clock => _options.TimeProvider;

    public async Task RunAsync(IReadOnlyList<SuiteTestDescriptor> tests, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var test in tests)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (!await RunTestAsync(test, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        finally
        {
            if (_instance is not null)
            {
                await TeardownAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs or skips one test and reports it; false when the run was cancelled during it.</summary>
    private async Task<bool> RunTestAsync(SuiteTestDescriptor test, CancellationToken cancellationToken)
    {
        var start = Clock.GetUtcNow();
        if (test.Problem is not null)
        {
            await ReportAsync(test, new Verdict(TestOutcome.Failed, test.Problem), start, TimeSpan.Zero, string.Empty).ConfigureAwait(false);
            return true;
        }

        if (test.SkipReason is not null)
        {
            await ReportAsync(test, new Verdict(TestOutcome.Skipped, test.SkipReason), start, TimeSpan.Zero, string.Empty).ConfigureAwait(false);
            return true;
        }

        var missing = test.RequiredTags.Where(t => !_device.Tags.Contains(t, StringComparer.Ordinal)).ToArray();
        if (missing.Length > 0)
        {
            var has = _device.Tags.Count == 0 ? "has no tags" : "has: " + string.Join(", ", _device.Tags);
            var reason = $"requires tags: {string.Join(", ", missing)} (device '{_device.Name}' {has})";
            await ReportAsync(test, new Verdict(TestOutcome.Skipped, reason), start, TimeSpan.Zero, string.Empty).ConfigureAwait(false);
            return true;
        }

        var begun = Clock.GetTimestamp();
        if (!_started)
        {
            _started = true;
            await StartSessionAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_sessionSkip is not null || _sessionFailure is not null)
        {
            var outcome = _sessionSkip is not null ? TestOutcome.Skipped : TestOutcome.Failed;
            await ReportAsync(test, new Verdict(outcome, _sessionSkip ?? _sessionFailure, _sessionDetails), start, Clock.GetElapsedTime(begun), _log.Take()).ConfigureAwait(false);
            return !cancellationToken.IsCancellationRequested;
        }

        _observer?.OnTestStarted(new Running.TestStarted { TestId = test.Id, SuiteName = _suite.TypeName, Name = test.DisplayName, StartTime = start });
        var timeout = test.Timeout ?? _options.DefaultTimeout;
        var instance = _instance!;
        var guarded = await GuardedCall.RunAsync(
            token => GuardedCall.InvokeAsync(instance, test.Method, token), timeout, _options, cancellationToken).ConfigureAwait(false);
        await SuiteEvidence.RestoreLinkAsync(_device, _log).ConfigureAwait(false);
        var verdict = Describe(guarded, "test");
        var evidence = verdict.Outcome == TestOutcome.Failed && guarded.Kind != GuardedKind.Cancelled
            ? await SuiteEvidence.CollectAsync(_device, _options, _suite.TypeName, test.DisplayName, guarded.Exception, _log, cancellationToken).ConfigureAwait(false)
            : [];
        await ReportAsync(test, verdict, start, Clock.GetElapsedTime(begun), _log.Take(), evidence).ConfigureAwait(false);
        return guarded.Kind != GuardedKind.Cancelled;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "SuiteDescriptor.Type keeps its constructors (DynamicallyAccessedMembers).")]
    private async Task StartSessionAsync(CancellationToken cancellationToken)
    {
        var plan = SuiteActivator.Resolve(_suite.Type, _suiteDevice, _log, _options.Services);
        if (plan.SkipReason is not null || plan.Error is not null)
        {
            _sessionSkip = plan.SkipReason;
            _sessionFailure = plan.Error;
            return;
        }

        object? created = null;
        var construction = await GuardedCall.RunAsync(
            _ =>
            {
                created = plan.Constructor!.Invoke(plan.Arguments);
                return Task.CompletedTask;
            },
            _options.DefaultTimeout,
            _options,
            cancellationToken).ConfigureAwait(false);
        if (construction.Kind != GuardedKind.Passed || created is null)
        {
            var (kind, message, details) = Describe(construction, $"constructor of {_suite.TypeName}");
            SetSessionProblem(kind, message, details);
            return;
        }

        _instance = created;
        foreach (var setup in _suite.Setups)
        {
            if (setup.Problem is not null)
            {
                _sessionFailure = setup.Problem;
                return;
            }

            var guarded = await GuardedCall.RunAsync(
                token => GuardedCall.InvokeAsync(created, setup.Method, token),
                setup.Timeout ?? _options.DefaultTimeout,
                _options,
                cancellationToken).ConfigureAwait(false);
            if (guarded.Kind != GuardedKind.Passed)
            {
                var (kind, message, details) = Describe(guarded, $"setup {setup.MethodName}");
                SetSessionProblem(kind, message, details);
                return;
            }
        }
    }

    private void SetSessionProblem(TestOutcome kind, string? message, string? details)
    {
        if (kind == TestOutcome.Skipped)
        {
            _sessionSkip = message;
        }
        else
        {
            _sessionFailure = message;
            _sessionDetails = details;
        }
    }

    private async Task TeardownAsync(CancellationToken cancellationToken)
    {
        var instance = _instance!;
        _log.Take();
        foreach (var teardown in _suite.Teardowns)
        {
            var start = Clock.GetUtcNow();
            var begun = Clock.GetTimestamp();
            if (teardown.Problem is not null)
            {
                await ReportHookAsync(Site(teardown), new Verdict(TestOutcome.Failed, teardown.Problem), start, TimeSpan.Zero).ConfigureAwait(false);
                continue;
            }

            var guarded = await GuardedCall.RunAsync(
                token => GuardedCall.InvokeAsync(instance, teardown.Method, token),
                HookTimeout(teardown.Timeout, cancellationToken),
                _options,
                CancellationToken.None).ConfigureAwait(false);
            if (guarded.Kind is GuardedKind.Failed or GuardedKind.TimedOut)
            {
                await ReportHookAsync(Site(teardown), Describe(guarded, $"teardown {teardown.MethodName}"), start, Clock.GetElapsedTime(begun)).ConfigureAwait(false);
            }
        }

        if (instance is IAsyncDisposable or IDisposable)
        {
            var start = Clock.GetUtcNow();
            var begun = Clock.GetTimestamp();
            var method = instance is IAsyncDisposable ? "DisposeAsync" : "Dispose";
            var guarded = await GuardedCall.RunAsync(
                async _ =>
                {
                    if (instance is IAsyncDisposable asyncDisposable)
                    {
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        ((IDisposable)instance).Dispose();
                    }
                },
                HookTimeout(null, cancellationToken),
                _options,
                CancellationToken.None).ConfigureAwait(false);
            if (guarded.Kind is GuardedKind.Failed or GuardedKind.TimedOut)
            {
                var site = new HookSite($"{_suite.TypeName}.{method}", method, null, null);
                await ReportHookAsync(site, Describe(guarded, $"{method} of {_suite.TypeName}"), start, Clock.GetElapsedTime(begun)).ConfigureAwait(false);
            }
        }
    }

    private TimeSpan HookTimeout(TimeSpan? own, CancellationToken runToken)
    {
        var timeout = own ?? _options.DefaultTimeout;
        return runToken.IsCancellationRequested && timeout > _options.TeardownAfterCancelTimeout ? _options.TeardownAfterCancelTimeout : timeout;
    }

    private Verdict Describe(GuardedOutcome outcome, string what)
    {
        var exception = outcome.Exception;
        switch (outcome.Kind)
        {
            case GuardedKind.Passed:
                return new Verdict(TestOutcome.Passed, null, null);
            case GuardedKind.Skipped:
                return new Verdict(TestOutcome.Skipped, exception!.Message, null);
            case GuardedKind.TimedOut:
                var limit = DurationText.Format(outcome.Timeout);
                var grace = DurationText.Format(_options.CancelGracePeriod);
                return outcome.Abandoned
                    ? new Verdict(TestOutcome.Failed,
                        $"{Prefix(what)}timed out after {limit}, and did not stop within {grace} of its CancellationToken being cancelled; it was left running",
                        $"Pass the CancellationToken on to every device call and await, so that a timeout stops the {what}.")
                    : new Verdict(TestOutcome.Failed, $"{Prefix(what)}timed out after {limit}", exception?.ToString());
            case GuardedKind.Cancelled:
                return new Verdict(TestOutcome.Failed,
                    $"{Prefix(what)}cancelled: the run was stopped" + (outcome.Abandoned ? $" and it did not stop within {DurationText.Format(_options.CancelGracePeriod)}" : string.Empty),
                    exception?.ToString());
            default:
                var text = string.IsNullOrWhiteSpace(exception!.Message) ? exception.GetType().Name : exception.Message;
                return new Verdict(TestOutcome.Failed, Prefix(what) + text, exception.ToString());
        }
    }

    /// <summary>Failures of a test read as the exception's own message; those of hooks say which hook.</summary>
    private static string Prefix(string what) => what == "test" ? string.Empty : what + " failed: ";

    private Task ReportAsync(
        SuiteTestDescriptor test, Verdict verdict, DateTimeOffset start, TimeSpan duration, string output, IReadOnlyList<string>? attachments = null)
    {
        var properties = new List<KeyValuePair<string, string>>
        {
            new("suite", _suite.Name),
            new("device", _device.Name),
        };
        if (test.RequiredTags.Count > 0)
        {
            properties.Add(new("tags", string.Join(",", test.RequiredTags)));
        }

        if (test.Timeout is TimeSpan timeout)
        {
            properties.Add(new("timeout", DurationText.Format(timeout)));
        }

        return AddAsync(new TestResult
        {
            TestId = test.Id,
            SuiteName = _suite.TypeName,
            Name = test.DisplayName,
            Outcome = verdict.Outcome,
            Message = verdict.Message,
            Details = verdict.Details,
            StartTime = start,
            Duration = duration,
            Stdout = output,
            SourceFile = test.SourceFile,
            SourceLine = test.SourceLine,
            Properties = properties,
            Attachments = attachments ?? [],
        });
    }

    /// <summary>A failed teardown or dispose: a failed result of its own.</summary>
    private Task ReportHookAsync(HookSite site, Verdict verdict, DateTimeOffset start, TimeSpan duration) =>
        AddAsync(new TestResult
        {
            TestId = site.Id,
            SuiteName = _suite.TypeName,
            Name = site.Name,
            Outcome = TestOutcome.Failed,
            Message = verdict.Message,
            Details = verdict.Details,
            StartTime = start,
            Duration = duration,
            Stdout = _log.Take(),
            SourceFile = site.SourceFile,
            SourceLine = site.SourceLine,
            Properties =
            [
                new("suite", _suite.Name),
                new("device", _device.Name),
                new("kind", "teardown"),
            ],
        });

    private async Task AddAsync(TestResult result)
    {
        _results.Add(result);
        if (_observer is not null)
        {
            // Results are recorded even after the run was cancelled ("results so far").
            await _observer.OnTestFinishedAsync(result, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static HookSite Site(SuiteHookDescriptor hook) => new(hook.Id, hook.MethodName, hook.SourceFile, hook.SourceLine);

    /// <summary>The output writer holds nothing to release, but is disposable as a TextWriter.</summary>
    public void Dispose() => _log.Dispose();

    /// <summary>How a test or hook ended, and what to say about it.</summary>
    private sealed record Verdict(TestOutcome Outcome, string? Message, string? Details = null);

    /// <summary>What a hook's result is named after: its id, name and source.</summary>
    private sealed record HookSite(string Id, string Name, string? SourceFile, int? SourceLine);
}
