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
    private static readonly TestProperty ExitCode = Register(JUnitLoggerConstants.ExitCodeProperty, typeof(int));
    private static readonly TestProperty SubResults = Register(JUnitLoggerConstants.SubResultsProperty, typeof(string));
    private static readonly TestProperty Device = Register(JUnitLoggerConstants.DeviceProperty, typeof(string));
    private static readonly TestProperty AttachmentPaths = Register(JUnitLoggerConstants.AttachmentPathsProperty, typeof(string));

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

        if (result.Attachments.Count > 0)
        {
            var set = new AttachmentSet(AdapterConstants.ExecutorUri, "Attachments");
            foreach (var path in result.Attachments.Where(File.Exists))
            {
                set.Attachments.Add(new UriDataAttachment(new Uri(Path.GetFullPath(path)), Path.GetFileName(path)));
            }

            if (set.Attachments.Count > 0)
            {
                converted.Attachments.Add(set);
                converted.SetPropertyValue(AttachmentPaths, string.Join('\n', set.Attachments.Select(a => a.Uri.LocalPath)));
            }
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
}
