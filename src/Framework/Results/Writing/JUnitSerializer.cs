using System.Text;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// The JUnit XML shape read by Azure DevOps (PublishTestResults, JUnit), dorny/test-reporter (java-junit),
/// EnricoMi/publish-unit-test-result-action and mikepenz/action-junit-report.
/// </summary>
internal static class JUnitSerializer
{
    /// <summary>One <c>&lt;testcase&gt;</c>.</summary>
    public static string TestCase(ResultRecord record) => XmlFragment.Build(writer =>
    {
        StartTestCase(writer, record, record.DisplayName, record.Duration);
        WriteProperties(writer, record.FlatProperties());
        WriteOutcome(writer, record.Outcome, record.Message, FailureBody(record));

        var output = SystemOut(record);
        if (output.Length > 0)
        {
            writer.WriteElementString("system-out", output);
        }

        if (record.Stderr.Length > 0)
        {
            writer.WriteElementString("system-err", record.Stderr);
        }

        writer.WriteEndElement();
    });

    /// <summary>
    /// A sub-result as its own <c>&lt;testcase&gt;</c>, named <c>test/sub</c> in the test's class and at the test's source
    /// line, so that readers that list and count testcases (dorny/test-reporter, EnricoMi's action, Azure DevOps) show
    /// it with its own outcome; its metrics are properties, its log is the output.
    /// </summary>
    public static string SubResultTestCase(ResultRecord parent, SubResultRecord sub) => XmlFragment.Build(writer =>
    {
        StartTestCase(writer, parent, $"{parent.DisplayName}/{sub.Name}", TimeSpan.Zero);
        WriteProperties(writer, sub.Metrics.Select(m => KeyValuePair.Create($"metric:{m.Key}", m.Value)));
        var message = sub.Outcome == TestOutcome.Failed ? $"sub-result '{sub.Name}' of '{parent.DisplayName}' failed" : string.Empty;
        WriteOutcome(writer, sub.Outcome, message, sub.Details.Length > 0 ? sub.Details : message);
        if (sub.Details.Length > 0)
        {
            writer.WriteElementString("system-out", sub.Details);
        }

        writer.WriteEndElement();
    });

    /// <summary>A <c>&lt;properties&gt;</c> block (nothing when there are none).</summary>
    public static string Properties(IEnumerable<KeyValuePair<string, string>> properties) =>
        XmlFragment.Build(writer => WriteProperties(writer, properties));

    private static void WriteProperties(XmlFragmentWriter writer, IEnumerable<KeyValuePair<string, string>> properties)
    {
        var started = false;
        foreach (var (name, value) in properties)
        {
            if (!started)
            {
                writer.WriteStartElement("properties");
                started = true;
            }

            writer.WriteStartElement("property");
            writer.WriteAttributeString("name", name);
            writer.WriteAttributeString("value", value);
            writer.WriteEndElement();
        }

        if (started)
        {
            writer.WriteEndElement();
        }
    }

    /// <summary>Opens a <c>&lt;testcase&gt;</c> in the record's class, at the record's source file and line.</summary>
    private static void StartTestCase(XmlFragmentWriter writer, ResultRecord record, string name, TimeSpan time)
    {
        writer.WriteStartElement("testcase");
        writer.WriteAttributeString("classname", record.ClassName);
        writer.WriteAttributeString("name", name);
        writer.WriteAttributeString("time", ResultFormat.Seconds(time));
        if (record.SourceFile is not null)
        {
            writer.WriteAttributeString("file", record.SourceFile);
        }

        if (record.SourceLine is { } line)
        {
            writer.WriteAttributeString("line", ResultFormat.Integer(line));
        }
    }

    /// <summary><c>&lt;failure&gt;</c> or <c>&lt;skipped&gt;</c>; nothing for a pass.</summary>
    private static void WriteOutcome(XmlFragmentWriter writer, TestOutcome outcome, string message, string body)
    {
        if (outcome == TestOutcome.Failed)
        {
            writer.WriteStartElement("failure");
            writer.WriteAttributeString("message", message);
            writer.WriteAttributeString("type", "failure");
            writer.WriteString(body);
            writer.WriteEndElement();
        }
        else if (outcome == TestOutcome.Skipped)
        {
            writer.WriteStartElement("skipped");
            if (message.Length > 0)
            {
                writer.WriteAttributeString("message", message);
            }

            writer.WriteEndElement();
        }
    }

    private static string FailureBody(ResultRecord record)
    {
        var body = new StringBuilder(record.Details);
        if (record.ExitCode is { } code && !record.Details.Contains("exit", StringComparison.OrdinalIgnoreCase))
        {
            body.Append(body.Length > 0 ? "\n" : string.Empty).Append("Exit code: ").Append(ResultFormat.Integer(code));
        }

        return body.ToString();
    }

    /// <summary>Standard output, then the sub-results block, then one <c>[[ATTACHMENT|path]]</c> line per file.</summary>
    private static string SystemOut(ResultRecord record)
    {
        var builder = new StringBuilder(record.Stdout);
        void Section(string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            if (builder.Length > 0 && builder[^1] != '\n')
            {
                builder.Append('\n');
            }

            builder.Append(text);
        }

        Section(record.SubResultsText());
        foreach (var attachment in record.Attachments)
        {
            Section($"[[ATTACHMENT|{XmlText.Clean(attachment)}]]\n");
        }

        return builder.ToString();
    }
}
