using System.Globalization;
using System.Text;
using DeviceTest.Framework.Results;
using VsTestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;
using VsTestResult = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResult;
using VsTestResultMessage = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestResultMessage;

namespace DeviceTest.TestAdapter.JUnit;

/// <summary>
/// Turns a VSTest result (from any adapter) into the Framework's result, so the Framework's JUnit writer writes it:
/// classname from the FQN (split at the last dot), traits as properties, attachments as local paths. The name of a
/// DeviceTest test is its display name, as written in the spec or <c>[DeviceTest(Name)]</c> (<c>yaml-broken</c>, not
/// the FQN's dot-safe <c>yaml_broken</c>); other adapters' tests keep the FQN's last part.
/// </summary>
internal static class VsTestResultConverter
{
    public static TestResult Convert(VsTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var testCase = result.TestCase;
        var (suite, name) = SplitName(testCase.FullyQualifiedName);
        if (IsDeviceTest(testCase) && !string.IsNullOrEmpty(testCase.DisplayName))
        {
            name = testCase.DisplayName;
        }
        var iteration = IntProperty(result, JUnitLoggerConstants.IterationProperty);
        var properties = testCase.Traits.Select(t => new KeyValuePair<string, string>(t.Name, t.Value)).ToList();
        if (StringProperty(result, JUnitLoggerConstants.DeviceProperty) is { } device)
        {
            properties.Add(new KeyValuePair<string, string>("device", device));
        }

        var subResults = SubResultJson.Read(StringProperty(result, JUnitLoggerConstants.SubResultsProperty));
        var additional = Messages(result, VsTestResultMessage.AdditionalInfoCategory);
        var details = result.ErrorStackTrace;
        if (additional.Length > 0 && subResults.Count == 0)
        {
            details = string.IsNullOrEmpty(details) ? additional : $"{details}\n{additional}";
        }

        return new TestResult
        {
            TestId = testCase.FullyQualifiedName,
            SuiteName = suite,
            Name = name,
            Iteration = iteration ?? 1,
            IsRepeated = iteration is not null,
            Outcome = result.Outcome switch
            {
                VsTestOutcome.Passed => TestOutcome.Passed,
                VsTestOutcome.Failed => TestOutcome.Failed,
                _ => TestOutcome.Skipped,
            },
            Message = result.ErrorMessage,
            Details = string.IsNullOrEmpty(details) ? null : details,
            StartTime = result.StartTime == default ? result.EndTime - result.Duration : result.StartTime,
            Duration = result.Duration,
            ExitCode = IntProperty(result, JUnitLoggerConstants.ExitCodeProperty),
            Stdout = Messages(result, VsTestResultMessage.StandardOutCategory),
            Stderr = Messages(result, VsTestResultMessage.StandardErrorCategory),
            SourceFile = string.IsNullOrEmpty(testCase.CodeFilePath) ? null : testCase.CodeFilePath,
            SourceLine = testCase.LineNumber > 0 ? testCase.LineNumber : null,
            SubResults = subResults,
            Attachments = AttachmentPaths(result),
            Properties = properties,
        };
    }

    /// <summary>
    /// True for the child results DeviceTest records for sub-results (for TRX's InnerResults): they carry the parent's
    /// execution id and the device. The parent result already holds them.
    /// </summary>
    public static bool IsDeviceTestSubResult(VsTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return StringProperty(result, JUnitLoggerConstants.DeviceProperty) is not null
            && StringProperty(result, JUnitLoggerConstants.ParentExecutionIdProperty) is { } parent
            && Guid.TryParse(parent, out var id) && id != Guid.Empty;
    }

    /// <summary>True for a test DeviceTest's adapter discovered (a YAML test or a C# suite test).</summary>
    public static bool IsDeviceTest(Microsoft.VisualStudio.TestPlatform.ObjectModel.TestCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        return string.Equals(testCase.ExecutorUri?.OriginalString, JUnitLoggerConstants.DeviceTestExecutorUri, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>Ns.Type.Member</c> → (<c>Ns.Type</c>, <c>Member</c>); a name without a dot has an empty class.</summary>
    public static (string Suite, string Name) SplitName(string fullyQualifiedName)
    {
        // Parameterized names ("Method(1.5, \"a.b\")") keep their arguments: split at the last dot before '('.
        var paren = fullyQualifiedName.IndexOf('(', StringComparison.Ordinal);
        var searchEnd = paren < 0 ? fullyQualifiedName.Length - 1 : paren - 1;
        var dot = searchEnd < 0 ? -1 : fullyQualifiedName.LastIndexOf('.', searchEnd);
        return dot <= 0
            ? (string.Empty, fullyQualifiedName)
            : (fullyQualifiedName[..dot], fullyQualifiedName[(dot + 1)..]);
    }

    private static List<string> AttachmentPaths(VsTestResult result)
    {
        if (StringProperty(result, JUnitLoggerConstants.AttachmentPathsProperty) is { Length: > 0 } paths)
        {
            return [.. paths.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        }

        // Other adapters: absolute file URIs as they are; relative ones (rewritten by the TRX logger) cannot be placed.
        return result.Attachments
            .SelectMany(set => set.Attachments)
            .Where(a => a.Uri.IsAbsoluteUri)
            .Select(a => a.Uri.IsFile ? a.Uri.LocalPath : a.Uri.ToString())
            .ToList();
    }

    private static string Messages(VsTestResult result, string category)
    {
        var text = new StringBuilder();
        foreach (var message in result.Messages)
        {
            if (message.Category == category && message.Text is not null)
            {
                text.Append(message.Text);
            }
        }

        return text.ToString();
    }

    private static string? StringProperty(VsTestResult result, string id)
    {
        var property = result.Properties.FirstOrDefault(p => p.Id == id);
        return property is null ? null : result.GetPropertyValue(property)?.ToString();
    }

    private static int? IntProperty(VsTestResult result, string id) =>
        StringProperty(result, id) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
