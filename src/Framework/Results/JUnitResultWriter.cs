using DeviceTest.Framework.Results.Writing;

namespace DeviceTest.Framework.Results;

/// <summary>
/// Writes results as a JUnit XML file (<c>--junit F</c>, the adapter's <c>junit</c> logger): one
/// <c>&lt;testsuite&gt;</c> per spec or suite, one <c>&lt;testcase&gt;</c> per test execution, with failures, skips,
/// output, <c>[[ATTACHMENT|path]]</c> lines, properties, sub-results and metrics. Names are written as the spec
/// or suite gives them (<c>yaml-broken</c> stays <c>yaml-broken</c>); only the classname is made dot-safe.
/// </summary>
/// <remarks>
/// Each result is written to a spool file next to the target as it arrives, so memory stays flat however many
/// results a soak run produces. <see cref="CompleteAsync"/> writes the file in one atomic replace; until then the
/// target is untouched. Safe to call from several devices' runs at once.
/// </remarks>
public sealed class JUnitResultWriter : IResultSink
{
    private readonly SpooledResultFile _file;
    private readonly Dictionary<string, JUnitSuite> _suites = new(StringComparer.Ordinal);
    private readonly List<JUnitSuite> _order = [];
    private readonly JUnitSubResults _subResults;

    /// <param name="path">The JUnit file to write (created or replaced when the run completes).</param>
    /// <param name="subResults">Whether sub-results are also testcases of their own (the default) or properties only.</param>
    public JUnitResultWriter(string path, JUnitSubResults subResults = JUnitSubResults.TestCases)
    {
        _file = new SpooledResultFile(path, "JUnit", typeof(JUnitResultWriter));
        _subResults = subResults;
    }

    /// <summary>The absolute path of the file this writer produces.</summary>
    public string Path => _file.TargetPath;

    /// <inheritdoc/>
    public async Task AddAsync(TestResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var record = ResultRecord.From(result);
        var fragment = JUnitSerializer.TestCase(record);
        var subCases = _subResults == JUnitSubResults.TestCases ? record.SubResults : [];
        foreach (var sub in subCases)
        {
            fragment += JUnitSerializer.SubResultTestCase(record, sub);
        }
        await _file.AddAsync(
            async spool =>
            {
                if (!_suites.TryGetValue(record.SuiteName, out var suite))
                {
                    suite = new JUnitSuite(_order.Count, record.SuiteName, record.ClassName);
                    _suites.Add(record.SuiteName, suite);
                    _order.Add(suite);
                }

                await spool.AppendAsync(suite.PartName, fragment).ConfigureAwait(false);
                suite.Add(record);
                foreach (var sub in subCases)
                {
                    suite.Count(sub.Outcome);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A token that is already cancelled when this is called (the run's own token after Ctrl+C) does not stop the
    /// final write: the results so far are written. A cancellation that arrives during the write stops it and leaves
    /// the target as it was.
    /// </remarks>
    public async Task CompleteAsync(RunSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        await _file.CompleteAsync((file, ct) => WriteFileAsync(file, summary, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the temporary spool files (the target is left as it is).</summary>
    public ValueTask DisposeAsync() => _file.DisposeAsync();

    private async Task WriteFileAsync(FinalFileWriter file, RunSummary summary, CancellationToken cancellationToken)
    {
        var hostname = Environment.MachineName;
        file.Write(XmlFragment.Declaration).Write(XmlFragment.Open(
            "testsuites",
            ("name", summary.RunName),
            ("tests", ResultFormat.Integer(_order.Sum(s => s.Tests))),
            ("failures", ResultFormat.Integer(_order.Sum(s => s.Failures))),
            ("errors", "0"),
            ("skipped", ResultFormat.Integer(_order.Sum(s => s.Skipped))),
            ("time", ResultFormat.Seconds(summary.EndTime - summary.StartTime, atLeastTick: false)),
            ("timestamp", ResultFormat.IsoSeconds(summary.StartTime))));

        foreach (var suite in _order)
        {
            file.Write(XmlFragment.Open(
                "testsuite",
                ("name", suite.Name),
                ("tests", ResultFormat.Integer(suite.Tests)),
                ("failures", ResultFormat.Integer(suite.Failures)),
                ("errors", "0"),
                ("skipped", ResultFormat.Integer(suite.Skipped)),
                ("time", ResultFormat.Seconds(suite.Time, atLeastTick: false)),
                ("timestamp", ResultFormat.IsoSeconds(suite.FirstStart ?? summary.StartTime)),
                ("hostname", hostname),
                ("id", ResultFormat.Integer(suite.Index)),
                ("package", suite.ClassName)));
            file.Write(JUnitSerializer.Properties(SuiteProperties(suite, summary)));
            await file.WritePartAsync(suite.PartName, cancellationToken).ConfigureAwait(false);
            file.Write(XmlFragment.Close("testsuite"));
        }

        file.Write(XmlFragment.Close("testsuites"));
    }

    private static IEnumerable<KeyValuePair<string, string>> SuiteProperties(JUnitSuite suite, RunSummary summary)
    {
        var common = suite.CommonProperties;
        foreach (var property in common)
        {
            yield return property;
        }

        if (!string.IsNullOrEmpty(summary.DeviceName) && !common.Any(p => p.Key == "device"))
        {
            yield return KeyValuePair.Create("device", XmlText.Clean(summary.DeviceName));
        }

        if (summary.Cancelled)
        {
            yield return KeyValuePair.Create("cancelled", "true");
        }
    }
}
