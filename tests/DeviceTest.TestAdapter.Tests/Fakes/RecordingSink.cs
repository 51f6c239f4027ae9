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

    /// <summary>Everything the run handed over, in order: "start NAME", "result NAME", "end NAME", "message TEXT".</summary>
    public List<string> Events { get; } = [];

    public bool EnableShutdownAfterTestRun { get; set; }

    /// <summary>How long taking a result takes (as when the test host sends a batch of results on to vstest.console).</summary>
    public TimeSpan RecordResultTime { get; init; }

    public IEnumerable<string> Warnings => Messages.Where(m => m.Level == TestMessageLevel.Warning).Select(m => m.Message);

    public IEnumerable<string> Errors => Messages.Where(m => m.Level == TestMessageLevel.Error).Select(m => m.Message);

    /// <summary>The result of the test named <paramref name="displayName"/> (not the child results of its sub-results).</summary>
    public TestResult Result(string displayName) =>
        Results.Single(r => r.TestCase.DisplayName == displayName && ParentOf(r) is null);

    /// <summary>The child results (sub-results) recorded under <paramref name="parent"/>, in order.</summary>
    public List<TestResult> Children(TestResult parent)
    {
        var id = Property(parent, "ExecutionId");
        return id is null ? [] : Results.Where(r => ParentOf(r) is { } p && p == id).ToList();
    }

    /// <summary>The ParentExecId a result names, or null for a top-level result.</summary>
    public static Guid? ParentOf(TestResult result) => Property(result, "ParentExecId");

    private static Guid? Property(TestResult result, string id) =>
        result.Properties.FirstOrDefault(p => p.Id == id) is { } property && result.GetPropertyValue(property) is Guid value && value != Guid.Empty
            ? value
            : null;

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
            Events.Add("message " + message);
        }
    }

    public void RecordResult(TestResult testResult)
    {
        Thread.Sleep(RecordResultTime);
        lock (_gate)
        {
            Results.Add(testResult);
            Events.Add("result " + (testResult.DisplayName ?? testResult.TestCase.DisplayName));
        }
    }

    public void RecordStart(TestCase testCase)
    {
        lock (_gate)
        {
            Started.Add(testCase);
            Events.Add("start " + testCase.DisplayName);
        }
    }

    public void RecordEnd(TestCase testCase, TestOutcome outcome)
    {
        lock (_gate)
        {
            Events.Add("end " + testCase.DisplayName);
        }
    }

    public void RecordAttachments(IList<AttachmentSet> attachmentSets)
    {
    }

    public int LaunchProcessWithDebuggerAttached(string filePath, string? workingDirectory, string? arguments, IDictionary<string, string?>? environmentVariables) =>
        throw new NotSupportedException();
}
