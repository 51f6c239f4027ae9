using System.Text;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// VSTest's TRX 2010 shape, as its TrxLogger writes it and Visual Studio, Azure DevOps (VSTest format) and
/// dorny/test-reporter (dotnet-trx) read it.
/// </summary>
internal static class TrxSerializer
{
    public const string Namespace = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>The executor named in test definitions.</summary>
    public const string AdapterTypeName = "executor://devicetest/v1";

    private const string InnerResultType = "DataDrivenDataRow";
    private const string ParentResultType = "DataDrivenTest";

    /// <summary>
    /// One top-level <c>UnitTestResult</c>; sub-results become <c>InnerResults</c> the way VSTest nests data rows
    /// (same test id, own execution id, <c>parentExecutionId</c>, <c>resultType</c> and <c>dataRowInfo</c>).
    /// </summary>
    /// <param name="record">The result.</param>
    /// <param name="testId">The test's stable TRX id.</param>
    /// <param name="executionId">This execution's id.</param>
    /// <param name="computerName">The machine that ran the test.</param>
    /// <param name="resultFiles">Attachment paths relative to the result's folder under the run's In folder.</param>
    /// <param name="attachmentErrors">Attachments that could not be copied; reported in StdErr.</param>
    public static string UnitTestResult(
        ResultRecord record,
        Guid testId,
        Guid executionId,
        string computerName,
        IReadOnlyList<string> resultFiles,
        IReadOnlyList<string> attachmentErrors) => XmlFragment.Build(writer =>
    {
        var hasInner = record.SubResults.Count > 0;
        WriteResultStart(
            writer, executionId, parentExecutionId: null, testId, record.DisplayName, computerName, record.Duration,
            record.StartTime, record.EndTime, record.Outcome, dataRow: null, hasInner ? ParentResultType : null);

        var stderr = new StringBuilder(record.Stderr);
        foreach (var error in attachmentErrors)
        {
            stderr.Append(stderr.Length > 0 && stderr[^1] != '\n' ? "\n" : string.Empty).Append(error).Append('\n');
        }

        var messages = new List<string>();
        if (record.ExitCode is { } code)
        {
            messages.Add($"Exit code: {ResultFormat.Integer(code)}");
        }

        messages.AddRange(record.Metrics.Select(m => $"metric {m.Key} = {m.Value}"));
        messages.AddRange(record.Properties.Select(p => $"{p.Key} = {p.Value}"));

        var stackTrace = record.Details;
        WriteOutput(writer, record.Stdout, stderr.ToString(), record.Outcome, record.Message, stackTrace, messages);

        if (resultFiles.Count > 0)
        {
            writer.WriteStartElement("ResultFiles");
            foreach (var file in resultFiles)
            {
                writer.WriteStartElement("ResultFile");
                writer.WriteAttributeString("path", file);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        if (hasInner)
        {
            writer.WriteStartElement("InnerResults");
            var row = 0;
            foreach (var sub in record.SubResults)
            {
                row++;
                WriteResultStart(
                    writer, Guid.NewGuid(), executionId, testId, sub.Name, computerName, TimeSpan.Zero,
                    sub.Timestamp, sub.Timestamp, sub.Outcome, row, InnerResultType);
                var subMessage = sub.Outcome == TestOutcome.Failed ? $"Sub-result '{sub.Name}' failed." : string.Empty;
                WriteOutput(
                    writer, sub.Details, string.Empty, sub.Outcome, subMessage, sub.Details,
                    [.. sub.Metrics.Select(m => $"metric {m.Key} = {m.Value}")]);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    });

    /// <summary>One <c>TestEntry</c> per execution, as VSTest writes them.</summary>
    public static string TestEntry(Guid testId, Guid executionId) => XmlFragment.Build(writer =>
    {
        writer.WriteStartElement("TestEntry");
        writer.WriteAttributeString("testId", Id(testId));
        writer.WriteAttributeString("executionId", Id(executionId));
        writer.WriteAttributeString("testListId", Id(TrxIds.UncategorizedList));
        writer.WriteEndElement();
    });

    /// <summary>The run's <c>Times</c> and <c>TestSettings</c> (with the deployment root that holds attachments).</summary>
    public static string RunHeader(RunSummary summary, string deploymentRoot) => XmlFragment.Build(writer =>
    {
        writer.WriteStartElement("Times");
        writer.WriteAttributeString("creation", ResultFormat.TrxTime(summary.StartTime));
        writer.WriteAttributeString("queuing", ResultFormat.TrxTime(summary.StartTime));
        writer.WriteAttributeString("start", ResultFormat.TrxTime(summary.StartTime));
        writer.WriteAttributeString("finish", ResultFormat.TrxTime(summary.EndTime < summary.StartTime ? summary.StartTime : summary.EndTime));
        writer.WriteEndElement();

        writer.WriteStartElement("TestSettings");
        writer.WriteAttributeString("name", "default");
        writer.WriteAttributeString("id", Id(Guid.NewGuid()));
        writer.WriteStartElement("Deployment");
        writer.WriteAttributeString("runDeploymentRoot", deploymentRoot);
        writer.WriteEndElement();
        writer.WriteEndElement();
    });

    /// <summary>One <c>UnitTest</c> definition.</summary>
    public static string Definition(TrxDefinition definition) => XmlFragment.Build(writer =>
    {
        writer.WriteStartElement("UnitTest");
        writer.WriteAttributeString("name", definition.Name);
        writer.WriteAttributeString("storage", definition.Storage);
        writer.WriteAttributeString("id", Id(definition.Id));

        writer.WriteStartElement("Execution");
        writer.WriteAttributeString("id", Id(definition.FirstExecutionId));
        writer.WriteEndElement();

        if (definition.Properties.Count > 0)
        {
            writer.WriteStartElement("Properties");
            foreach (var (key, value) in definition.Properties)
            {
                writer.WriteStartElement("Property");
                writer.WriteElementString("Key", key);
                writer.WriteElementString("Value", value);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        writer.WriteStartElement("TestMethod");
        writer.WriteAttributeString("codeBase", definition.Storage);
        writer.WriteAttributeString("adapterTypeName", AdapterTypeName);
        writer.WriteAttributeString("className", definition.ClassName);
        writer.WriteAttributeString("name", definition.Name);
        writer.WriteEndElement();

        writer.WriteEndElement();
    });

    /// <summary>The two standard test lists every VSTest TRX carries.</summary>
    public static string TestLists() => XmlFragment.Build(writer =>
    {
        writer.WriteStartElement("TestLists");
        foreach (var (name, id) in new[] { ("Results Not in a List", TrxIds.UncategorizedList), ("All Loaded Results", TrxIds.AllResultsList) })
        {
            writer.WriteStartElement("TestList");
            writer.WriteAttributeString("name", name);
            writer.WriteAttributeString("id", Id(id));
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    });

    /// <summary>
    /// <c>ResultSummary</c>: outcome, counters, and run messages (<c>RunInfos</c>): one when the run was cancelled, then
    /// <paramref name="notes"/> (warnings about the run's files).
    /// </summary>
    public static string ResultSummary(
        RunSummary summary, int passed, int failed, int skipped, string computerName, IReadOnlyList<string> notes) =>
        XmlFragment.Build(writer =>
        {
            writer.WriteStartElement("ResultSummary");
            writer.WriteAttributeString("outcome", summary.Cancelled ? "Aborted" : failed > 0 ? "Failed" : "Completed");

            writer.WriteStartElement("Counters");
            var counters = new (string Name, int Value)[]
            {
                ("total", passed + failed + skipped), ("executed", passed + failed), ("passed", passed),
                ("failed", failed), ("error", 0), ("timeout", 0), ("aborted", 0), ("inconclusive", 0),
                ("passedButRunAborted", 0), ("notRunnable", 0), ("notExecuted", skipped), ("disconnected", 0),
                ("warning", 0), ("completed", 0), ("inProgress", 0), ("pending", 0),
            };
            foreach (var (name, value) in counters)
            {
                writer.WriteAttributeString(name, ResultFormat.Integer(value));
            }

            writer.WriteEndElement();

            var texts = new List<string>();
            if (summary.Cancelled)
            {
                texts.Add($"The run was cancelled before it ended; the {ResultFormat.Integer(passed + failed + skipped)} results recorded until then are included.");
            }

            texts.AddRange(notes);
            if (texts.Count > 0)
            {
                writer.WriteStartElement("RunInfos");
                foreach (var text in texts)
                {
                    writer.WriteStartElement("RunInfo");
                    writer.WriteAttributeString("computerName", computerName);
                    writer.WriteAttributeString("outcome", "Warning");
                    writer.WriteAttributeString("timestamp", ResultFormat.TrxTime(summary.EndTime));
                    writer.WriteElementString("Text", text);
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        });

    public static string Id(Guid id) => id.ToString("D");

    private static string Outcome(TestOutcome outcome) => outcome switch
    {
        TestOutcome.Passed => "Passed",
        TestOutcome.Failed => "Failed",
        _ => "NotExecuted",
    };

    private static void WriteResultStart(
        XmlFragmentWriter writer,
        Guid executionId,
        Guid? parentExecutionId,
        Guid testId,
        string testName,
        string computerName,
        TimeSpan duration,
        DateTimeOffset start,
        DateTimeOffset end,
        TestOutcome outcome,
        int? dataRow,
        string? resultType)
    {
        writer.WriteStartElement("UnitTestResult");
        writer.WriteAttributeString("executionId", Id(executionId));
        if (parentExecutionId is { } parent)
        {
            writer.WriteAttributeString("parentExecutionId", Id(parent));
        }

        writer.WriteAttributeString("testId", Id(testId));
        writer.WriteAttributeString("testName", testName);
        writer.WriteAttributeString("computerName", computerName);
        writer.WriteAttributeString("duration", ResultFormat.TrxDuration(duration));
        writer.WriteAttributeString("startTime", ResultFormat.TrxTime(start));
        writer.WriteAttributeString("endTime", ResultFormat.TrxTime(end));
        writer.WriteAttributeString("testType", Id(TrxIds.UnitTestType));
        writer.WriteAttributeString("outcome", Outcome(outcome));
        writer.WriteAttributeString("testListId", Id(TrxIds.UncategorizedList));
        writer.WriteAttributeString("relativeResultsDirectory", Id(executionId));
        if (dataRow is { } row)
        {
            writer.WriteAttributeString("dataRowInfo", ResultFormat.Integer(row));
        }

        if (resultType is not null)
        {
            writer.WriteAttributeString("resultType", resultType);
        }
    }

    private static void WriteOutput(
        XmlFragmentWriter writer,
        string stdout,
        string stderr,
        TestOutcome outcome,
        string message,
        string stackTrace,
        List<string> textMessages)
    {
        var error = outcome == TestOutcome.Failed || (outcome == TestOutcome.Skipped && message.Length > 0);
        if (stdout.Length == 0 && stderr.Length == 0 && !error && textMessages.Count == 0)
        {
            return;
        }

        writer.WriteStartElement("Output");
        if (stdout.Length > 0)
        {
            writer.WriteElementString("StdOut", stdout);
        }

        if (stderr.Length > 0)
        {
            writer.WriteElementString("StdErr", stderr);
        }

        if (error)
        {
            // dorny/test-reporter shows a failure only when both Message and StackTrace are present.
            writer.WriteStartElement("ErrorInfo");
            writer.WriteElementString("Message", message);
            writer.WriteElementString("StackTrace", outcome == TestOutcome.Failed ? stackTrace : string.Empty);
            writer.WriteEndElement();
        }

        if (textMessages.Count > 0)
        {
            writer.WriteStartElement("TextMessages");
            foreach (var text in textMessages)
            {
                writer.WriteElementString("Message", text);
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }
}
