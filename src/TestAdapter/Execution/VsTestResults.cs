using System.Globalization;
using System.Text;
using DeviceTest.TestAdapter.JUnit;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using FrameworkOutcome = DeviceTest.Framework.Results.TestOutcome;
using FrameworkResult = DeviceTest.Framework.Results.TestResult;
using VsTestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;
using VsTestResult = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResult;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Turns the engine's results into VSTest results: outcome, message and details, stdout/stderr, sub-results and
/// metrics as text (TRX's TextMessages) and as a property (for the junit logger), attachments as file:// URIs
/// (TRX copies them into its ResultFiles).
/// </summary>
internal static class VsTestResults
{
    private static readonly TestProperty Iteration = Register(JUnitLoggerConstants.IterationProperty, typeof(int));
    /// <summary>Passing iterations of a repeated test that carry their files as attachments (#1 to #5).</summary>
    public const int AttachedPassingIterations = 5;

    private static readonly TestProperty ExitCode = Register(JUnitLoggerConstants.ExitCodeProperty, typeof(int));
    private static readonly TestProperty SubResults = Register(JUnitLoggerConstants.SubResultsProperty, typeof(string));
    private static readonly TestProperty Device = Register(JUnitLoggerConstants.DeviceProperty, typeof(string));
    private static readonly TestProperty AttachmentPaths = Register(JUnitLoggerConstants.AttachmentPathsProperty, typeof(string));

    // The properties VSTest's TRX logger reads to nest results (as MSTest's data rows): a result with ParentExecId
    // becomes an InnerResult of the result whose ExecutionId it names.
    private static readonly TestProperty ExecutionId = Register(JUnitLoggerConstants.ExecutionIdProperty, typeof(Guid));
    private static readonly TestProperty ParentExecutionId = Register(JUnitLoggerConstants.ParentExecutionIdProperty, typeof(Guid));

    public static VsTestResult Convert(TestCase testCase, FrameworkResult result, string deviceName)
    {
        var converted = new VsTestResult(testCase)
        {
            Outcome = result.Outcome switch
            {
                FrameworkOutcome.Passed => VsTestOutcome.Passed,
                FrameworkOutcome.Failed => VsTestOutcome.Failed,
                _ => VsTestOutcome.Skipped,
            },
            ErrorMessage = result.Message,
            ErrorStackTrace = result.Details,
            StartTime = result.StartTime,
            EndTime = result.StartTime + result.Duration,
            Duration = result.Duration,
            ComputerName = deviceName,
            DisplayName = result.IsRepeated ? result.DisplayName : testCase.DisplayName,
        };
        if (result.Stdout.Length > 0)
        {
            converted.Messages.Add(new TestResultMessage(TestResultMessage.StandardOutCategory, result.Stdout));
        }

        if (result.Stderr.Length > 0)
        {
            converted.Messages.Add(new TestResultMessage(TestResultMessage.StandardErrorCategory, result.Stderr));
        }

        if (Summary(result) is { Length: > 0 } summary)
        {
            converted.Messages.Add(new TestResultMessage(TestResultMessage.AdditionalInfoCategory, summary));
        }

        var files = result.Attachments.Where(File.Exists).Select(Path.GetFullPath).ToList();
        if (files.Count > 0)
        {
            // The junit logger lists every file by path (no copies).
            converted.SetPropertyValue(AttachmentPaths, string.Join('\n', files));
        }

        if (result.Attachments.Count > 0 && IsSoakPass(result))
        {
            // TRX loggers copy every attachment into the run folder: a 49k-iteration soak would copy 49k console logs.
            // Failures always keep theirs; these stay where the run wrote them.
            converted.Messages.Add(new TestResultMessage(
                TestResultMessage.AdditionalInfoCategory,
                $"Files of passing iterations after #{AttachedPassingIterations} are not attached (soak); they stay in {Path.GetDirectoryName(files.FirstOrDefault() ?? string.Empty)}\n"));
        }
        else if (files.Count > 0)
        {
            var set = new AttachmentSet(AdapterConstants.ExecutorUri, "Attachments");
            foreach (var path in files)
            {
                set.Attachments.Add(new UriDataAttachment(new Uri(path), Path.GetFileName(path)));
            }

            converted.Attachments.Add(set);
        }

        converted.SetPropertyValue(Device, deviceName);
        if (result.IsRepeated)
        {
            converted.SetPropertyValue(Iteration, result.Iteration);
        }

        if (result.ExitCode is { } exitCode)
        {
            converted.SetPropertyValue(ExitCode, exitCode);
        }

        if (result.SubResults.Count > 0)
        {
            converted.SetPropertyValue(SubResults, SubResultJson.Write(result.SubResults));
        }

        return converted;
    }

    /// <summary>
    /// The result of a test followed by one child result per sub-result it wrote under <c>TEST_DIR</c>. The children
    /// name the parent's execution id, so the TRX logger nests them as <c>InnerResults</c>; they keep their own
    /// outcome (a failed sub-result fails the run, as a failed data row does). The junit logger leaves them out: it
    /// writes sub-results from the parent's <c>DeviceTest.SubResults</c>.
    /// </summary>
    public static IReadOnlyList<VsTestResult> ConvertWithSubResults(TestCase testCase, FrameworkResult result, string deviceName)
    {
        ArgumentNullException.ThrowIfNull(result);
        var parent = Convert(testCase, result, deviceName);
        if (result.SubResults.Count == 0)
        {
            return [parent];
        }

        var parentId = Guid.NewGuid();
        parent.SetPropertyValue(ExecutionId, parentId);
        var results = new List<VsTestResult>(result.SubResults.Count + 1) { parent };
        foreach (var sub in result.SubResults)
        {
            // The folder's epoch is the device's clock (often wrong on a board): the host's end time of the test instead.
            var time = parent.EndTime;
            var child = new VsTestResult(testCase)
            {
                DisplayName = sub.Name,
                Outcome = sub.Outcome switch
                {
                    FrameworkOutcome.Passed => VsTestOutcome.Passed,
                    FrameworkOutcome.Failed => VsTestOutcome.Failed,
                    _ => VsTestOutcome.Skipped,
                },
                ErrorMessage = sub.Outcome == FrameworkOutcome.Failed ? $"sub-result '{sub.Name}' of '{parent.DisplayName ?? testCase.DisplayName}' failed" : null,
                StartTime = time,
                EndTime = time,
                ComputerName = deviceName,
            };
            if (!string.IsNullOrWhiteSpace(sub.Details))
            {
                child.Messages.Add(new TestResultMessage(TestResultMessage.StandardOutCategory, sub.Details));
            }

            if (sub.Metrics.Count > 0)
            {
                var metrics = string.Join('\n', sub.Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"metric {m.Key} = {m.Value}")));
                child.Messages.Add(new TestResultMessage(TestResultMessage.AdditionalInfoCategory, metrics));
            }

            child.SetPropertyValue(ExecutionId, Guid.NewGuid());
            child.SetPropertyValue(ParentExecutionId, parentId);
            child.SetPropertyValue(Device, deviceName);
            results.Add(child);
        }

        return results;
    }

    /// <summary>A result for a test that did not run (a bad device, a setup problem): the reason as its message.</summary>
    public static VsTestResult NotRun(TestCase testCase, VsTestOutcome outcome, string message) => new(testCase)
    {
        Outcome = outcome,
        ErrorMessage = message,
        StartTime = DateTimeOffset.Now,
        EndTime = DateTimeOffset.Now,
    };

    /// <summary>Metrics and sub-results as text (TRX's TextMessages, the console's "Additional Information").</summary>
    private static string Summary(FrameworkResult result)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in result.Metrics)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"metric {name} = {value}");
        }

        if (result.SubResults.Count > 0)
        {
            text.AppendLine("sub-results:");
            foreach (var sub in result.SubResults)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {sub.Outcome.ToString().ToLowerInvariant(),-7} {sub.Name}");
                foreach (var (name, value) in sub.Metrics)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"          {name} = {value}");
                }

                if (!string.IsNullOrWhiteSpace(sub.Details))
                {
                    foreach (var line in sub.Details.TrimEnd().Split('\n'))
                    {
                        text.AppendLine(CultureInfo.InvariantCulture, $"          | {line.TrimEnd('\r')}");
                    }
                }
            }
        }

        return text.ToString().TrimEnd();
    }

    private static TestProperty Register(string id, Type type) =>
        TestProperty.Register(id, id, type, TestPropertyAttributes.Hidden, typeof(VsTestResult));

    private static bool IsSoakPass(FrameworkResult result) =>
        result.IsRepeated && result.Iteration > AttachedPassingIterations && result.Outcome == FrameworkOutcome.Passed;
}
