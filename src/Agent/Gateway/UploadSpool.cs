using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using DeviceTest.Agent.Files;

namespace DeviceTest.Agent.Gateway;

/// <summary>
/// The durable queue between the agent and the device gateway. Each call writes one entry to
/// <c>&lt;state-dir&gt;/spool/</c> (artifacts copied first, then the JSON entry written atomically and fsync'd) and
/// returns only when it is on disk; <see cref="SpoolUploader"/> sends the entries in order. Its folders are 0700 and
/// its files 0600 (test logs and artifacts are nobody else's business).
/// </summary>
/// <remarks>
/// Layout: <c>spool/NNNNNNNNNNNN.start.json</c>, <c>spool/NNNNNNNNNNNN.complete.json</c> and its
/// <c>spool/NNNNNNNNNNNN.artifacts/</c> folder; <c>spool/ids/&lt;test-id&gt;</c> when the gateway gave a record another
/// id than ours; <c>spool-failed/</c> holds entries the gateway refused or that could not be read, each with a
/// <c>NNNNNNNNNNNN.reason</c> text file.
/// </remarks>
public sealed class UploadSpool : ITestReporter, IDisposable
{
    internal const int SequenceDigits = 12;

    private readonly AgentLog _log;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<bool> _written = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _lastSequence;

    /// <summary>Opens (creating when needed) the spool under <paramref name="stateDirectory"/> and removes half-written leftovers of a crash.</summary>
    public UploadSpool(string stateDirectory, AgentLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(stateDirectory);
        _log = log ?? AgentLog.StandardError;
        SpoolDirectory = Path.Combine(stateDirectory, "spool");
        FailedDirectory = Path.Combine(stateDirectory, "spool-failed");
        IdsDirectory = Path.Combine(SpoolDirectory, "ids");
        PrivateFiles.CreateFolder(stateDirectory);
        PrivateFiles.CreateFolder(SpoolDirectory);
        PrivateFiles.CreateFolder(FailedDirectory);
        PrivateFiles.CreateFolder(IdsDirectory);
        RemoveLeftovers();
        _lastSequence = Math.Max(MaxSequence(SpoolDirectory), MaxSequence(FailedDirectory));
    }

    /// <summary><c>&lt;state-dir&gt;/spool</c>: entries waiting to be sent.</summary>
    public string SpoolDirectory { get; }

    /// <summary><c>&lt;state-dir&gt;/spool-failed</c>: entries set aside, each with a <c>.reason</c> file.</summary>
    public string FailedDirectory { get; }

    internal string IdsDirectory { get; }

    /// <summary>How many entries wait to be sent.</summary>
    public int PendingCount => ListEntries().Count;

    /// <inheritdoc/>
    public async Task StartTestAsync(string testId, string name, string targetName, CancellationToken cancellationToken)
    {
        WireFormat.CheckTestId(testId);
        ArgumentNullException.ThrowIfNull(name);
        var target = string.IsNullOrEmpty(targetName) ? null : targetName;
        var header = target is null ? null : WireFormat.TargetHeaderValue(target);
        if (header is not null && header != target)
        {
            _log.Warning($"test {testId}: the Target name '{target}' cannot travel in an HTTP header as it is: x-ats-target carries it " +
                $"percent-encoded ('{header}'); the body's target field carries it as it is");
        }

        var entry = new SpoolEntry
        {
            Kind = SpoolEntry.StartKind,
            TestId = testId,
            Written = DateTimeOffset.UtcNow,
            Target = target,
            TargetHeader = header,
            Post = new TestCreateBody { Name = name, TestId = testId },
        };
        await WriteAsync(entry, [], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task CompleteTestAsync(string testId, GatewayTestCompletion completion, CancellationToken cancellationToken)
    {
        WireFormat.CheckTestId(testId);
        ArgumentNullException.ThrowIfNull(completion);
        var body = WireFormat.ToBody(completion, _log);
        var artifacts = new List<(string Source, string Name)>();
        if (body.Artifacts is not null)
        {
            var kept = new List<string>();
            for (int i = 0; i < completion.ArtifactPaths.Count; i++)
            {
                var source = completion.ArtifactPaths[i];
                if (!File.Exists(source))
                {
                    _log.Warning($"test {testId}: artifact {source} does not exist; it is left out of the report");
                    continue;
                }

                kept.Add(body.Artifacts[i]);
                artifacts.Add((source, body.Artifacts[i]));
            }

            body.Artifacts = kept.Count > 0 ? kept : null;
        }

        var entry = new SpoolEntry
        {
            Kind = SpoolEntry.CompleteKind,
            TestId = testId,
            Written = DateTimeOffset.UtcNow,
            Put = body,
        };
        await WriteAsync(entry, artifacts, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _writeLock.Dispose();

    internal static string SequenceText(long sequence) => sequence.ToString("D" + SequenceDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The waiting entries, oldest first.</summary>
    internal List<SpoolFile> ListEntries()
    {
        var list = new List<SpoolFile>();
        foreach (var path in Directory.EnumerateFiles(SpoolDirectory))
        {
            var m = EntryName.Match(Path.GetFileName(path));
            if (m.Success)
            {
                list.Add(new SpoolFile(long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture), m.Groups[2].Value, path));
            }
        }

        list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return list;
    }

    /// <summary>Completes when an entry was written since the last call (or at once if one was written before).</summary>
    internal ValueTask<bool> WaitForEntryAsync(CancellationToken cancellationToken) => _written.Reader.WaitToReadAsync(cancellationToken);

    internal void ConsumeSignal() => _written.Reader.TryRead(out _);

    private async Task WriteAsync(SpoolEntry entry, List<(string Source, string Name)> artifacts, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Run(() => Write(entry, artifacts), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }

        _written.Writer.TryWrite(true);
    }

    private void Write(SpoolEntry entry, List<(string Source, string Name)> artifacts)
    {
        // The number is used up even when the write fails, so a half-written entry never shares it with the next one.
        var sequence = ++_lastSequence;
        var stem = SequenceText(sequence);
        if (artifacts.Count > 0)
        {
            var temp = Path.Combine(SpoolDirectory, "." + stem + ".artifacts.tmp");
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            PrivateFiles.CreateFolder(temp);
            foreach (var (source, name) in artifacts)
            {
                DurableFile.CopyAndFlush(source, Path.Combine(temp, name));
            }

            DurableFile.FlushDirectory(temp);
            DurableFile.Move(temp, Path.Combine(SpoolDirectory, stem + ".artifacts"));
        }

        var bytes = GatewayJson.Write(entry);
        DurableFile.WriteAllBytes(Path.Combine(SpoolDirectory, $"{stem}.{entry.Kind}.json"), bytes);
    }

    private void RemoveLeftovers()
    {
        var entries = ListEntries().Select(e => e.Sequence).ToHashSet();
        foreach (var path in Directory.EnumerateFileSystemEntries(SpoolDirectory))
        {
            var name = Path.GetFileName(path);
            bool orphanArtifacts = ArtifactsName.Match(name) is { Success: true } m
                && !entries.Contains(long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
            if (!DurableFile.IsTemporary(name) && !orphanArtifacts)
            {
                continue;
            }

            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
                else
                {
                    File.Delete(path);
                }

                _log.Info($"spool: removed {path}, left half-written by an earlier crash");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warning($"spool: cannot remove the leftover {path}: {e.Message}");
            }
        }
    }

    private static long MaxSequence(string directory)
    {
        long max = 0;
        foreach (var path in Directory.EnumerateFileSystemEntries(directory))
        {
            var m = AnySequence.Match(Path.GetFileName(path));
            if (m.Success && long.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                max = Math.Max(max, n);
            }
        }

        return max;
    }

    private static readonly Regex EntryName = new(@"^(\d{12})\.(start|complete)\.json$");

    private static readonly Regex ArtifactsName = new(@"^(\d{12})\.artifacts$");

    private static readonly Regex AnySequence = new(@"^(\d{12})\.");
}
