using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using TestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;
using TestResult = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResult;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Adapter;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Logging;

namespace DeviceTest.TestAdapter.Tests.Fakes;

/// <summary>VSTest's discovery sink, message logger and framework handle in one, recording everything.</summary>
internal sealed class RecordingSink : ITestCaseDiscoverySink, IFrameworkHandle
{
    private readonly Lock _gate = new();

    public List<TestCase> TestCases { get; } = [];

    public List<TestResult> Results { get; } = [];

    public List<(TestMessageLevel Level, string Message)> Messages { get; } = [];

    public List<TestCase> Started { get; } = [];

    public bool EnableShutdownAfterTestRun { get; set; }

    public IEnumerable<string> Warnings => Messages.Where(m => m.Level == TestMessageLevel.Warning).Select(m => m.Message);

    public IEnumerable<string> Errors => Messages.Where(m => m.Level == TestMessageLevel.Error).Select(m => m.Message);

    public TestResult Result(string displayName) => Results.Single(r => r.TestCase.DisplayName == displayName);

    public void SendTestCase(TestCase discoveredTest)
    {
        lock (_gate)
        {
            TestCases.Add(discoveredTest);
        }
    }

    public void SendMessage(TestMessageLevel testMessageLevel, string message)
    {
        lock (_gate)
        {
            Messages.Add((testMessageLevel, message));
        }
    }

    public void RecordResult(TestResult testResult)
    {
        lock (_gate)
        {
            Results.Add(testResult);
        }
    }

    public void RecordStart(TestCase testCase)
    {
        lock (_gate)
        {
            Started.Add(testCase);
        }
    }

    public void RecordEnd(TestCase testCase, TestOutcome outcome)
    {
    }

    public void RecordAttachments(IList<AttachmentSet> attachmentSets)
    {
    }

    public int LaunchProcessWithDebuggerAttached(string filePath, string? workingDirectory, string? arguments, IDictionary<string, string?>? environmentVariables) =>
        throw new NotSupportedException();
}
