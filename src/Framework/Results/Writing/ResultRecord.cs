using System.Globalization;
using System.Text;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// One test result in a format-neutral shape, built once per result and then handed to a format's serializer:
/// every text is cleaned for XML, names are derived, times are computed, and the flattened properties that
/// readers without nesting (JUnit) need are prepared. Nothing here is kept after the result is written.
/// </summary>
internal sealed class ResultRecord
{
    private ResultRecord()
    {
    }

    /// <summary>The caller's <see cref="TestResult.TestId"/>, unchanged (stable ids are derived from it).</summary>
    public required string TestId { get; init; }

    public required string SuiteName { get; init; }

    /// <summary>The suite name made dot-safe (<see cref="ResultNames.ClassName"/>).</summary>
    public required string ClassName { get; init; }

    public required string Name { get; init; }

    public required string DisplayName { get; init; }

    public required int Iteration { get; init; }

    public required bool IsRepeated { get; init; }

    public required TestOutcome Outcome { get; init; }

    /// <summary>Why it failed or was skipped; for failures never empty.</summary>
    public required string Message { get; init; }

    /// <summary>Failure detail (output tail, exception text); the message again when there is none.</summary>
    public required string Details { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required TimeSpan Duration { get; init; }

    public DateTimeOffset EndTime => StartTime + Duration;

    public int? ExitCode { get; init; }

    public required string Stdout { get; init; }

    public required string Stderr { get; init; }

    public string? SourceFile { get; init; }

    public int? SourceLine { get; init; }

    public required IReadOnlyList<SubResultRecord> SubResults { get; init; }

    /// <summary>The test's own metrics, values in invariant culture.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Metrics { get; init; }

    /// <summary>Absolute local paths of the files kept for this result.</summary>
    public required IReadOnlyList<string> Attachments { get; init; }

    /// <summary>The caller's name/value pairs, cleaned.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; }

    public static ResultRecord From(TestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var message = XmlText.Clean(result.Message);
        if (result.Outcome == TestOutcome.Failed && message.Length == 0)
        {
            message = result.ExitCode is { } code ? $"The command exited with code {code}." : "The test failed.";
        }

        var details = XmlText.Clean(result.Details);
        if (details.Length == 0)
        {
            details = message;
        }

        return new ResultRecord
        {
            TestId = result.TestId,
            SuiteName = XmlText.Clean(result.SuiteName),
            ClassName = ResultNames.ClassName(XmlText.Clean(result.SuiteName)),
            Name = XmlText.Clean(result.Name),
            DisplayName = XmlText.Clean(result.DisplayName),
            Iteration = result.Iteration,
            IsRepeated = result.IsRepeated,
            Outcome = result.Outcome,
            Message = message,
            Details = details,
            StartTime = result.StartTime,
            Duration = result.Duration < TimeSpan.Zero ? TimeSpan.Zero : result.Duration,
            ExitCode = result.ExitCode,
            Stdout = XmlText.Clean(result.Stdout),
            Stderr = XmlText.Clean(result.Stderr),
            SourceFile = string.IsNullOrEmpty(result.SourceFile) ? null : XmlText.Clean(result.SourceFile),
            SourceLine = result.SourceLine is > 0 ? result.SourceLine : null,
            SubResults = [.. result.SubResults.Select(sub => ToRecord(sub, result.StartTime))],
            Metrics = CleanMetrics(result.Metrics),
            Attachments = [.. result.Attachments.Where(path => !string.IsNullOrWhiteSpace(path)).Select(Path.GetFullPath)],
            Properties = [.. result.Properties.Select(p => KeyValuePair.Create(XmlText.Clean(p.Key), XmlText.Clean(p.Value)))],
        };
    }

    /// <summary>
    /// Properties for readers without nesting: the caller's pairs, then <c>iteration</c> (repeated tests),
    /// <c>exitcode</c>, <c>subresult:NAME</c> = PASSED/FAILED/SKIPPED, <c>metric:NAME</c> for the test's metrics and
    /// <c>metric:SUBRESULT/NAME</c> for a sub-result's metrics.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> FlatProperties()
    {
        foreach (var property in Properties)
        {
            yield return property;
        }

        if (IsRepeated)
        {
            yield return KeyValuePair.Create("iteration", Iteration.ToString(CultureInfo.InvariantCulture));
        }

        if (ExitCode is { } code)
        {
            yield return KeyValuePair.Create("exitcode", code.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var sub in SubResults)
        {
            yield return KeyValuePair.Create($"subresult:{sub.Name}", ResultNames.OutcomeWord(sub.Outcome));
        }

        foreach (var metric in Metrics)
        {
            yield return KeyValuePair.Create($"metric:{metric.Key}", metric.Value);
        }

        foreach (var sub in SubResults)
        {
            foreach (var metric in sub.Metrics)
            {
                yield return KeyValuePair.Create($"metric:{sub.Name}/{metric.Key}", metric.Value);
            }
        }
    }

    /// <summary>A readable block listing the sub-results, their metrics and logs; empty when there are none.</summary>
    public string SubResultsText()
    {
        if (SubResults.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Sub-results ({SubResults.Count}):\n");
        foreach (var sub in SubResults)
        {
            builder.Append(CultureInfo.InvariantCulture, $"  {ResultNames.OutcomeWord(sub.Outcome),-7} {sub.Name}\n");
            foreach (var metric in sub.Metrics)
            {
                builder.Append(CultureInfo.InvariantCulture, $"          metric {metric.Key} = {metric.Value}\n");
            }

            foreach (var line in Lines(sub.Details))
            {
                builder.Append("          | ").Append(line).Append('\n');
            }
        }

        return builder.ToString();
    }

    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static SubResultRecord ToRecord(SubResult sub, DateTimeOffset fallback)
    {
        var timestamp = fallback;
        if (double.IsFinite(sub.LocalTimestamp) && sub.LocalTimestamp > 0 && sub.LocalTimestamp < 253402300799)
        {
            timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)(sub.LocalTimestamp * 1000));
        }

        return new SubResultRecord(
            XmlText.Clean(sub.Name),
            sub.Outcome,
            timestamp,
            XmlText.Clean(sub.Details),
            CleanMetrics(sub.Metrics));
    }

    private static KeyValuePair<string, string>[] CleanMetrics(IReadOnlyDictionary<string, double> metrics) =>
        [.. metrics.Select(m => KeyValuePair.Create(XmlText.Clean(m.Key), FormatNumber(m.Value)))];

    private static IEnumerable<string> Lines(string text)
    {
        if (text.Length == 0)
        {
            yield break;
        }

        foreach (var line in text.TrimEnd('\n', '\r').Split('\n'))
        {
            yield return line.TrimEnd('\r');
        }
    }
}
