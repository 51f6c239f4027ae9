using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;
using FrameworkResult = DeviceTest.Framework.Results.TestResult;
using VsTestResult = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResult;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Hands results to VSTest from any worker thread, one at a time, and stops quietly once the run was cancelled
/// (VSTest refuses results after a cancel).
/// </summary>
internal sealed class ResultRecorder(IFrameworkHandle handle)
{
    private readonly Lock _gate = new();
    private bool _cancelled;

    public void Cancel()
    {
        lock (_gate)
        {
            _cancelled = true;
        }
    }

    public void Start(TestCase testCase) => Guarded(() => handle.RecordStart(testCase));

    public void Record(TestCase testCase, FrameworkResult result, string deviceName) =>
        Record(VsTestResults.Convert(testCase, result, deviceName));

    public void Record(VsTestResult result) => Guarded(() =>
    {
        handle.RecordResult(result);
        handle.RecordEnd(result.TestCase, result.Outcome);
    });

    public void Message(TestMessageLevel level, string message) => Guarded(() => handle.SendMessage(level, message));

    private void Guarded(Action action)
    {
        lock (_gate)
        {
            if (_cancelled)
            {
                return;
            }

            try
            {
                action();
            }
            catch (TestCanceledException)
            {
                _cancelled = true;
            }
        }
    }
}
