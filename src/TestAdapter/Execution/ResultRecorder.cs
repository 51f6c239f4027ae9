using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;
using FrameworkResult = DeviceTest.Framework.Results.TestResult;
using VsTestResult = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResult;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Hands results and messages to VSTest from any worker thread, in the order they come, on a thread of its own: the
/// test host sends every tenth result on to vstest.console on the thread that records it (about 1.5 ms each time), and
/// the tests need not wait for that. <see cref="Complete"/> waits until everything is handed over. Once the run was
/// cancelled the rest is dropped quietly (VSTest refuses results after a cancel).
/// </summary>
internal sealed class ResultRecorder : IDisposable
{
    private readonly IFrameworkHandle _handle;
    private readonly BlockingCollection<Action<IFrameworkHandle>> _queue = [];
    private readonly Thread _thread;
    private volatile bool _cancelled;
    private ExceptionDispatchInfo? _failure;
    private bool _disposed;

    public ResultRecorder(IFrameworkHandle handle)
    {
        _handle = handle;
        _thread = new Thread(Deliver) { IsBackground = true, Name = "DeviceTest results" };
        _thread.Start();
    }

    public void Cancel() => _cancelled = true;

    public void Start(TestCase testCase) => Enqueue(handle => handle.RecordStart(testCase));

    /// <summary>Records a test's result, then its sub-results as child results (nested in TRX), then its end.</summary>
    public void Record(TestCase testCase, FrameworkResult result, string deviceName) => Enqueue(handle =>
    {
        // Converted on the recording thread too: a result never changes, and the files it names stay where the test
        // wrote them (each test and iteration has a folder of its own in the run's results).
        var results = VsTestResults.ConvertWithSubResults(testCase, result, deviceName);
        foreach (var each in results)
        {
            handle.RecordResult(each);
        }

        handle.RecordEnd(testCase, results[0].Outcome);
    });

    public void Record(VsTestResult result) => Enqueue(handle =>
    {
        handle.RecordResult(result);
        handle.RecordEnd(result.TestCase, result.Outcome);
    });

    public void Message(TestMessageLevel level, string message) => Enqueue(handle => handle.SendMessage(level, message));

    /// <summary>
    /// Waits until everything recorded so far is handed to VSTest; rethrows what VSTest threw while taking it (the run
    /// stops recording at the first such error, as it would have stopped the test that recorded it).
    /// </summary>
    public void Complete()
    {
        Drain();
        _failure?.Throw();
    }

    /// <summary>Waits until everything recorded so far is handed to VSTest (as <see cref="Complete"/>, without rethrowing).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Drain();
        _queue.Dispose();
        _disposed = true;
    }

    private void Enqueue(Action<IFrameworkHandle> action)
    {
        try
        {
            _queue.Add(action);
        }
        catch (InvalidOperationException)
        {
            // The run has ended (Complete, Dispose): nothing is taken after it.
        }
    }

    private void Drain()
    {
        if (!_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
        }

        _thread.Join();
    }

    private void Deliver()
    {
        foreach (var action in _queue.GetConsumingEnumerable())
        {
            if (_cancelled || _failure is not null)
            {
                continue;
            }

            try
            {
                action(_handle);
            }
            catch (TestCanceledException)
            {
                _cancelled = true;
            }
#pragma warning disable CA1031 // Rethrown by Complete on the run's thread, where VSTest expects the adapter's errors.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
        }
    }
}
