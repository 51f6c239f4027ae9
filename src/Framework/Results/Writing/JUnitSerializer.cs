using System.Text;
using System.Xml;

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
        writer.WriteStartElement("testcase");
        writer.WriteAttributeString("classname", record.ClassName);
        writer.WriteAttributeString("name", record.DisplayName);
        writer.WriteAttributeString("time", ResultFormat.Seconds(record.Duration));
        if (record.SourceFile is not null)
        {
            writer.WriteAttributeString("file", record.SourceFile);
        }

        if (record.SourceLine is { } line)
        {
            writer.WriteAttributeString("line", ResultFormat.Integer(line));
        }

        WriteProperties(writer, record.FlatProperties());

        if (record.Outcome == TestOutcome.Failed)
        {
            writer.WriteStartElement("failure");
            writer.WriteAttributeString("message", record.Message);
            writer.WriteAttributeString("type", "failure");
            writer.WriteString(FailureBody(record));
            writer.WriteEndElement();
        }
        else if (record.Outcome == TestOutcome.Skipped)
        {
            writer.WriteStartElement("skipped");
            if (record.Message.Length > 0)
            {
                writer.WriteAttributeString("message", record.Message);
            }

            writer.WriteEndElement();
        }

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

    /// <summary>A <c>&lt;properties&gt;</c> block (nothing when there are none).</summary>
    public static string Properties(IEnumerable<KeyValuePair<string, string>> properties) =>
        XmlFragment.Build(writer => WriteProperties(writer, properties));

    private static void WriteProperties(XmlWriter writer, IEnumerable<KeyValuePair<string, string>> properties)
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
