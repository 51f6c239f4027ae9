using System.Text;
using DeviceTest.Framework.Results.Writing;

namespace DeviceTest.Framework.Results;

/// <summary>
/// Writes results as a VSTest TRX file (<c>--trx F</c>) that Visual Studio, Azure DevOps (VSTest format) and
/// dorny/test-reporter (dotnet-trx) load. Each test execution is a <c>UnitTestResult</c>; iterations of a repeated
/// test share one test id (stable across runs: derived from <see cref="TestResult.TestId"/>) with distinct execution
/// ids; sub-results are nested as VSTest nests data rows.
/// </summary>
/// <remarks>
/// <para>
/// Attachments are copied, as VSTest's TrxLogger does, to
/// <c>&lt;trx folder&gt;/&lt;trx file name without extension&gt;/In/&lt;executionId&gt;/&lt;computer&gt;/&lt;file&gt;</c> and listed
/// as <c>ResultFile</c> paths relative to <c>In/&lt;executionId&gt;</c>. The folder name is the deployment root written
/// in <c>TestSettings</c> (what Visual Studio resolves) and the TRX file's own name (what Azure DevOps resolves).
/// An attachment that cannot be copied is reported in the result's StdErr.
/// </para>
/// <para>
/// Long soaks stay bounded in disk use: per test, failed and skipped results always keep their files, and so do the
/// first passed result and the last <see cref="PassedResultsKeptPerWindow"/> passed results before each failure and
/// at the end of the run; the passes in between are in the TRX without files (a run message says how many). See
/// <see cref="TrxAttachmentRetention"/> for why this rather than hard links or deduplication.
/// </para>
/// <para>
/// Memory stays flat in the number of results: results and entries stream to spool files next to the target; only
/// counters, one definition per distinct test and the places of its last few passes' files stay in memory. <see cref="CompleteAsync"/> replaces the target
/// atomically. Safe to call from several devices' runs at once.
/// </para>
/// </remarks>
public sealed class TrxResultWriter : IResultSink
{
    private const string ResultsPart = "results.xml";
    private const string EntriesPart = "entries.xml";

    /// <summary>How many passed results of one test keep their files before each failure and at the end of a run.</summary>
    internal const int PassedResultsKeptPerWindow = 5;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly SpooledResultFile _file;
    private readonly Dictionary<string, TrxDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly List<TrxDefinition> _order = [];
    private readonly string _computerName = Environment.MachineName;
    private readonly bool _deploymentRootExisted;
    private readonly TrxAttachmentRetention _retention = new(PassedResultsKeptPerWindow);
    private int _passed;
    private int _failed;
    private int _skipped;

    /// <param name="path">The TRX file to write (created or replaced when the run completes).</param>
    public TrxResultWriter(string path)
    {
        _file = new SpooledResultFile(path, "TRX", typeof(TrxResultWriter), RemoveUnreferencedAttachments);
        DeploymentRoot = System.IO.Path.GetFileNameWithoutExtension(_file.TargetPath);
        _deploymentRootExisted = Directory.Exists(DeploymentDirectory);
    }

    /// <summary>The absolute path of the file this writer produces.</summary>
    public string Path => _file.TargetPath;

    /// <summary>The run's deployment root: the folder next to the TRX file whose <c>In</c> folder holds attachments.</summary>
    public string DeploymentRoot { get; }

    private string DeploymentDirectory => System.IO.Path.Combine(_file.TargetDirectory, DeploymentRoot);

    /// <inheritdoc/>
    /// <remarks>Cancelling while attachments are being copied drops this result and its copied files.</remarks>
    public async Task AddAsync(TestResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        _file.ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var record = ResultRecord.From(result);
        var testId = TrxIds.ForTest(record.TestId);
        var executionId = Guid.NewGuid();

        var errors = new List<string>();
        var files = await CopyAttachmentsAsync(record, executionId, errors, cancellationToken).ConfigureAwait(false);
        var fragment = TrxSerializer.UnitTestResult(record, testId, executionId, _computerName, files, errors);
        var entry = TrxSerializer.TestEntry(testId, executionId);

        await _file.AddAsync(
            async spool =>
            {
                var offset = await spool.AppendAsync(ResultsPart, fragment).ConfigureAwait(false);
                await spool.AppendAsync(EntriesPart, entry).ConfigureAwait(false);
                var kept = files.Count > 0 ? KeptFilesOf(fragment, offset, executionId) : null;
                if (_retention.Add(record.TestId, record.Outcome, kept) is { } dropped)
                {
                    // The reference goes first (its ResultFiles element becomes whitespace in the spool), then the
                    // files: whatever fails in between, the TRX never refers to a file that is gone.
                    await spool.BlankAsync(ResultsPart, dropped.Offset, dropped.Length).ConfigureAwait(false);
                    TryDeleteDirectory(dropped.Directory);
                }

                if (!_definitions.ContainsKey(record.TestId))
                {
                    var definition = new TrxDefinition(
                        testId,
                        record.Name,
                        record.ClassName,
                        record.SourceFile ?? record.SuiteName,
                        executionId,
                        record.Properties);
                    _definitions.Add(record.TestId, definition);
                    _order.Add(definition);
                }

                Count(record.Outcome);
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

    /// <summary>
    /// Removes the temporary spool files. When the run never completed, attachments copied for it are removed too
    /// (no TRX refers to them); after completion they stay with the TRX file.
    /// </summary>
    public ValueTask DisposeAsync() => _file.DisposeAsync();

    private void Count(TestOutcome outcome)
    {
        switch (outcome)
        {
            case TestOutcome.Passed:
                _passed++;
                break;
            case TestOutcome.Failed:
                _failed++;
                break;
            default:
                _skipped++;
                break;
        }
    }

    private void RemoveUnreferencedAttachments()
    {
        if (!_deploymentRootExisted)
        {
            TryDeleteDirectory(DeploymentDirectory);
        }
    }

    private async Task WriteFileAsync(FinalFileWriter file, RunSummary summary, CancellationToken cancellationToken)
    {
        file.Write(XmlFragment.Declaration)
            .Write(XmlFragment.Open(
                "TestRun",
                ("id", TrxSerializer.Id(Guid.NewGuid())),
                ("name", summary.RunName),
                ("runUser", Environment.UserName),
                ("xmlns", TrxSerializer.Namespace)))
            .Write(TrxSerializer.RunHeader(summary, DeploymentRoot));

        // Empty sections are left out: dorny/test-reporter fails on an empty <Results/> but accepts none.
        if (_order.Count > 0)
        {
            file.Write(XmlFragment.Open("Results"));
            await file.WritePartAsync(ResultsPart, cancellationToken).ConfigureAwait(false);
            file.Write(XmlFragment.Close("Results"));

            file.Write(XmlFragment.Open("TestDefinitions"));
            foreach (var definition in _order)
            {
                file.Write(TrxSerializer.Definition(definition));
            }

            file.Write(XmlFragment.Close("TestDefinitions"));

            file.Write(XmlFragment.Open("TestEntries"));
            await file.WritePartAsync(EntriesPart, cancellationToken).ConfigureAwait(false);
            file.Write(XmlFragment.Close("TestEntries"));
        }

        file.Write(TrxSerializer.TestLists())
            .Write(TrxSerializer.ResultSummary(summary, _passed, _failed, _skipped, _computerName, RunNotes()))
            .Write(XmlFragment.Close("TestRun"));
    }

    private List<string> RunNotes()
    {
        if (_retention.Dropped == 0)
        {
            return [];
        }

        return
        [
            $"To bound disk use, the attachments of {ResultFormat.Integer(_retention.Dropped)} passed results of repeated tests " +
            "are not kept next to this file (the results themselves are all here). Kept for each test: the files of every " +
            $"failed or skipped result, of its first pass, and of the last {ResultFormat.Integer(_retention.PassesPerWindow)} " +
            "passes before each failure and at the end of the run.",
        ];
    }

    /// <summary>
    /// Where the <c>ResultFiles</c> element of a result just spooled at <paramref name="offset"/> sits. The element
    /// names are found as text: in XML text and attribute values '&lt;' is always escaped, so the first
    /// <c>&lt;ResultFiles&gt;</c> is the element (inner results have none).
    /// </summary>
    private KeptFiles? KeptFilesOf(string fragment, long offset, Guid executionId)
    {
        const string Open = "<ResultFiles>";
        const string Close = "</ResultFiles>";
        var start = fragment.IndexOf(Open, StringComparison.Ordinal);
        var end = start < 0 ? -1 : fragment.IndexOf(Close, start, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        end += Close.Length;
        return new KeptFiles(
            System.IO.Path.Combine(DeploymentDirectory, "In", TrxSerializer.Id(executionId)),
            offset + Utf8.GetByteCount(fragment.AsSpan(0, start)),
            Utf8.GetByteCount(fragment.AsSpan(start, end - start)));
    }

    private async Task<IReadOnlyList<string>> CopyAttachmentsAsync(
        ResultRecord record,
        Guid executionId,
        List<string> errors,
        CancellationToken cancellationToken)
    {
        if (record.Attachments.Count == 0)
        {
            return [];
        }

        var machineFolder = SafeFileName(_computerName);
        var resultDirectory = System.IO.Path.Combine(DeploymentDirectory, "In", TrxSerializer.Id(executionId));
        var targetDirectory = System.IO.Path.Combine(resultDirectory, machineFolder);
        var files = new List<string>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var source in record.Attachments)
            {
                if (!File.Exists(source))
                {
                    errors.Add($"Attachment '{source}' was not found, so it is not attached.");
                    continue;
                }

                var name = UniqueName(System.IO.Path.GetFileName(source), used);
                try
                {
                    Directory.CreateDirectory(targetDirectory);
                    await CopyFileAsync(source, System.IO.Path.Combine(targetDirectory, name), cancellationToken).ConfigureAwait(false);
                    files.Add(System.IO.Path.Combine(machineFolder, name));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    errors.Add($"Attachment '{source}' could not be copied to '{targetDirectory}': {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            TryDeleteDirectory(resultDirectory);
            throw;
        }

        return files;
    }

    private static async Task CopyFileAsync(string source, string target, CancellationToken cancellationToken)
    {
        // ReadWrite sharing: a console log may still be open for writing by the device's connection.
        var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
        await using (input.ConfigureAwait(false))
        {
            var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string UniqueName(string name, HashSet<string> used)
    {
        name = SafeFileName(name);
        var candidate = name;
        var stem = System.IO.Path.GetFileNameWithoutExtension(name);
        var extension = System.IO.Path.GetExtension(name);
        for (var n = 2; !used.Add(candidate); n++)
        {
            candidate = $"{stem}[{n}]{extension}";
        }

        return candidate;
    }

    private static string SafeFileName(string name)
    {
        var invalid = System.IO.Path.GetInvalidFileNameChars();
        var safe = new string([.. name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c)]);
        return safe.Length == 0 ? "_" : safe;
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leftover copies are harmless; nothing refers to them.
        }
    }
}
