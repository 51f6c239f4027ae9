using System.Globalization;
using DeviceTest.Framework.Results;
using DeviceTest.Framework.Running;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Agent.Progress;

/// <summary>
/// Prints a run as it happens: each test as it starts (with a ticking elapsed time on a terminal), its outcome as it
/// ends, reboots and messages; collects the per-test summary shown at the end.
/// </summary>
internal sealed class LiveProgress : IRunObserver, IAsyncDisposable
{
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly Lock _gate = new();
    private readonly SummaryTable _summary = new();
    private readonly CancellationTokenSource _tickerStop = new();
    private readonly Task _ticker;
    private TestStarted? _current;
    private int _currentLineLength;
    private bool _disposed;

    public LiveProgress(TextWriter output, bool interactive)
    {
        _out = output;
        _interactive = interactive;
        _ticker = interactive ? TickAsync(_tickerStop.Token) : Task.CompletedTask;
    }

    public SummaryTable Summary => _summary;

    public void OnTestStarted(TestStarted started)
    {
        ArgumentNullException.ThrowIfNull(started);
        lock (_gate)
        {
            _current = started;
            if (_interactive)
            {
                WriteStatusLine(started, TimeSpan.Zero);
            }
            else
            {
                _out.WriteLine($"  RUN   {Describe(started)}");
            }
        }
    }

    public Task OnTestFinishedAsync(TestResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            _current = null;
            ClearStatusLine();
            var (label, detail) = result.Outcome switch
            {
                TestOutcome.Passed => ("PASS", string.Empty),
                TestOutcome.Skipped => ("SKIP", result.Message is null ? string.Empty : $"  {FirstLine(result.Message)}"),
                _ => ("FAIL", result.Message is null ? string.Empty : $"  {FirstLine(result.Message)}"),
            };
            _out.WriteLine($"  {label,-5} {result.SuiteName} > {result.DisplayName} ({FormatDuration(result.Duration)}){detail}");
            _summary.Add(result);
        }

        return Task.CompletedTask;
    }

    /// <summary>"  REBOOT /sbin/reboot (spec.yml:7:5)": the step's kind, what it does, where it stands.</summary>
    public void OnStepStarted(SpecStep specStep)
    {
        ArgumentNullException.ThrowIfNull(specStep);
        lock (_gate)
        {
            ClearStatusLine();
            _out.WriteLine($"  {Label(specStep)} {specStep.Summary} ({specStep.Position})");
        }
    }

    /// <summary>"  REBOOT back: went down, shell ready (12.0s)", or FAILED; nothing for a skipped step.</summary>
    public void OnStepFinished(SpecStep specStep, StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(specStep);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status == StepStatus.Skipped)
        {
            // The step follows a skip with a message that says why (a NOTE line).
            return;
        }

        lock (_gate)
        {
            ClearStatusLine();
            var word = outcome.Status == StepStatus.Succeeded ? specStep.SucceededWord : "FAILED";
            _out.WriteLine($"  {Label(specStep)} {word}: {outcome.Details} ({FormatDuration(outcome.Duration)})");
        }
    }

    public void OnMessage(string message)
    {
        lock (_gate)
        {
            ClearStatusLine();
            _out.WriteLine($"  NOTE  {message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _tickerStop.CancelAsync();
        await _ticker;
        _tickerStop.Dispose();
        lock (_gate)
        {
            ClearStatusLine();
        }
    }

    internal static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds < 60
            ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
            : $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s";

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    private static string Describe(TestStarted started) => $"{started.SuiteName} > {started.DisplayName}";

    private static string Label(SpecStep specStep) => specStep.Kind.ToUpperInvariant();

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                lock (_gate)
                {
                    if (_current is { } current)
                    {
                        WriteStatusLine(current, DateTimeOffset.UtcNow - current.StartTime);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Run over.
        }
    }

    private void WriteStatusLine(TestStarted started, TimeSpan elapsed)
    {
        var line = $"  ...   {Describe(started)} ({FormatDuration(elapsed)})";
        _out.Write('\r' + line.PadRight(_currentLineLength));
        _currentLineLength = line.Length;
        _out.Flush();
    }

    private void ClearStatusLine()
    {
        if (_interactive && _currentLineLength > 0)
        {
            _out.Write('\r' + new string(' ', _currentLineLength) + '\r');
            _currentLineLength = 0;
        }
    }
}
