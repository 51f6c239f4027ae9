using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter.Platform;

/// <summary>
/// The bridge's framework handle, with one change for Microsoft.Testing.Platform: when the run cannot start (the
/// executor says why in an error message, then reports each test as skipped with "not run: ..."), those tests fail.
/// VSTest fails such a run because of the error message; MTP decides its exit code from test outcomes only, and a run
/// whose devices file is broken must not pass.
/// </summary>
internal sealed class RunFailureHandle(IFrameworkHandle inner) : IFrameworkHandle
{
    private const string NotRunPrefix = "not run:";
    private volatile bool _errorSent;

#pragma warning disable CS0618 // Obsolete in the ObjectModel, still part of the interface.
    public bool EnableShutdownAfterTestRun
    {
        get => inner.EnableShutdownAfterTestRun;
        set => inner.EnableShutdownAfterTestRun = value;
    }
#pragma warning restore CS0618

    public int LaunchProcessWithDebuggerAttached(string filePath, string? workingDirectory, string? arguments, IDictionary<string, string?>? environmentVariables) =>
        inner.LaunchProcessWithDebuggerAttached(filePath, workingDirectory, arguments, environmentVariables);

    public void RecordResult(TestResult testResult)
    {
        ArgumentNullException.ThrowIfNull(testResult);
        if (_errorSent && testResult.Outcome == TestOutcome.Skipped &&
            testResult.ErrorMessage?.StartsWith(NotRunPrefix, StringComparison.Ordinal) == true)
        {
            testResult.Outcome = TestOutcome.Failed;
        }

        inner.RecordResult(testResult);
    }

    public void RecordStart(TestCase testCase) => inner.RecordStart(testCase);

    public void RecordEnd(TestCase testCase, TestOutcome outcome) => inner.RecordEnd(testCase, outcome);

    public void RecordAttachments(IList<AttachmentSet> attachmentSets) => inner.RecordAttachments(attachmentSets);

    public void SendMessage(TestMessageLevel testMessageLevel, string message)
    {
        if (testMessageLevel == TestMessageLevel.Error)
        {
            _errorSent = true;
        }

        inner.SendMessage(testMessageLevel, message);
    }
}
