using System.Globalization;
using System.Text.Json;
using System.Text;
using DeviceTest.Agent.Files;

namespace DeviceTest.Agent.Gateway;

/// <summary>
/// Sends the spool's entries to the device gateway strictly in order: a start entry becomes <c>POST /tests</c>, a
/// complete entry <c>PUT /tests/&lt;id&gt;</c> and its artifact uploads. While the gateway is down, answers 5xx or does
/// not answer, the same entry is retried with exponential backoff and full jitter (capped at
/// <see cref="SpoolUploaderOptions.RetryMaxDelay"/>). An entry the gateway refuses (4xx), that cannot be sent as it is
/// (<see cref="GatewayFailureKind.ClientError"/>) or that cannot be read is moved to <c>spool-failed/</c> with a
/// <c>.reason</c> file, and the drain goes on. So is an entry that keeps failing
/// (<see cref="SpoolUploaderOptions.SetAsideAfterAttempts"/> times) while the gateway takes the next record of another
/// test: one bad entry never holds back the results after it, while an unreachable gateway keeps everything in order.
/// An entry is deleted only after the gateway accepted it, so a crash or reboot at any point resends at most the entry
/// in flight, which the gateway takes as the same record (the test id is made by the device).
/// </summary>
public sealed class SpoolUploader : IAsyncDisposable
{
    private readonly UploadSpool _spool;
    private readonly GatewayClient _client;
    private readonly SpoolUploaderOptions _options;
    private readonly AgentLog _log;
    private readonly RetryBackoff _backoff;
    private readonly FailedEntries _failed;
    private long _accepted;
    private int _headFailures;
    private string? _lastFailure;
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public SpoolUploader(UploadSpool spool, GatewayClient client, SpoolUploaderOptions? options = null, AgentLog? log = null)
    {
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(client);
        _spool = spool;
        _client = client;
        _options = options ?? new SpoolUploaderOptions();
        _log = log ?? AgentLog.StandardError;
        _backoff = new RetryBackoff(_options.RetryBaseDelay, _options.RetryMaxDelay, _options.JitterSeed);
        _failed = new FailedEntries(spool);
    }

    /// <summary>Logged each time the spool has been emptied: everything written so far was sent (or set aside).</summary>
    internal const string Drained = "spool: everything sent; waiting for new results";

    private enum Outcome
    {
        Done,
        Retry,
    }

    /// <summary>Starts draining in the background (what is on disk first, then each new entry).</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the uploader is already running");
        }

        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
    }

    /// <summary>Stops the background drain; an entry in flight stays in the spool and is sent next time.</summary>
    public async Task StopAsync()
    {
        if (_stop is null || _loop is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _stop = null;
        _loop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Drains until cancelled: sends what is there, then waits for new entries.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pending = _spool.PendingCount;
        _log.Info(pending == 0
            ? $"spool: nothing waiting in {_spool.SpoolDirectory}; sending to {_client.TestsUrl}"
            : $"spool: {pending} entr{(pending == 1 ? "y" : "ies")} waiting in {_spool.SpoolDirectory}; sending to {_client.TestsUrl}");
        while (!cancellationToken.IsCancellationRequested)
        {
            _spool.ConsumeSignal();
            if (await DrainAsync(cancellationToken).ConfigureAwait(false))
            {
                _log.Info(Drained);
                continue;
            }

            using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            poll.CancelAfter(_options.PollInterval);
            try
            {
                await _spool.WaitForEntryAsync(poll.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Poll interval: look at the directory again.
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Sends entries (retrying with backoff) until the spool is empty; false when nothing was waiting.</summary>
    private async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        bool any = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<SpoolFile> entries;
            try
            {
                entries = _spool.ListEntries();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Error($"spool: cannot list {_spool.SpoolDirectory}: {e.Message}; trying again later");
                await WaitBeforeRetryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }

            if (entries.Count == 0)
            {
                return any;
            }

            any = true;
            Outcome outcome;
            try
            {
                outcome = await ProcessAsync(entries[0], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Error($"spool: {entries[0].FileName}: {e.Message}; trying again later");
                outcome = Outcome.Retry;
            }

            if (outcome == Outcome.Retry)
            {
                if (++_headFailures >= Math.Max(1, _options.SetAsideAfterAttempts) && await OthersGoThroughAsync(entries, cancellationToken).ConfigureAwait(false))
                {
                    SetAsideStuckHead(entries[0]);
                    _headFailures = 0;
                    _backoff.Reset();
                    continue;
                }

                await WaitBeforeRetryAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            _headFailures = 0;
            if (_backoff.Attempt > 0)
            {
                _log.Info($"spool: the gateway accepts entries again after {_backoff.Attempt} failed attempt(s)");
            }

            _backoff.Reset();
        }
    }

    /// <summary>
    /// Sends the next entries of other tests than the stuck head's (its own later entries depend on it); true when the
    /// gateway accepted one, i.e. the gateway works and the head is what fails. False (the gateway is down): the head
    /// is tried again later, from the start.
    /// </summary>
    private async Task<bool> OthersGoThroughAsync(List<SpoolFile> entries, CancellationToken cancellationToken)
    {
        var headTest = TestIdOf(entries[0]);
        var accepted = Interlocked.Read(ref _accepted);
        foreach (var other in entries.Skip(1))
        {
            if (headTest is not null && TestIdOf(other) == headTest)
            {
                continue;
            }

            Outcome outcome;
            try
            {
                outcome = await ProcessAsync(other, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Error($"spool: {other.FileName}: {e.Message}");
                continue;
            }

            if (outcome == Outcome.Retry)
            {
                _headFailures = 0;
                return false;
            }

            if (Interlocked.Read(ref _accepted) > accepted)
            {
                return true;
            }
        }

        return false;
    }

    private void SetAsideStuckHead(SpoolFile head)
    {
        var why = $"failed {Math.Max(1, _options.SetAsideAfterAttempts)} times in a row ({_lastFailure ?? "no answer"}) while the gateway accepted the next record";
        _log.Error($"spool: {head.FileName} {why}; moved to {_spool.FailedDirectory} (kept there with its artifacts) so that later results go out. " +
            $"Fix the cause, then move it back into {_spool.SpoolDirectory} to send it again.");
        _failed.MoveAside(head, why + "; later results were sent", head.Kind == SpoolEntry.StartKind ? TestIdOf(head) : null);
    }

    private static string? TestIdOf(SpoolFile file)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file.Path), GatewayJsonContext.Default.SpoolEntry)?.TestId;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private async Task WaitBeforeRetryAsync(CancellationToken cancellationToken)
    {
        var delay = _backoff.Next();
        _log.Info($"spool: retry {_backoff.Attempt} in {delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome> ProcessAsync(SpoolFile file, CancellationToken cancellationToken)
    {
        SpoolEntry? entry;
        string? problem;
        try
        {
            var bytes = await File.ReadAllBytesAsync(file.Path, cancellationToken).ConfigureAwait(false);
            entry = JsonSerializer.Deserialize(bytes, GatewayJsonContext.Default.SpoolEntry);
            problem = entry is null ? "the file holds no JSON object" : entry.Problem(file.Kind);
        }
        catch (JsonException e)
        {
            entry = null;
            problem = $"not valid JSON ({e.Message})";
        }

        if (problem is not null)
        {
            _log.Error($"spool: {file.FileName} cannot be read: {problem}. It is moved to {_spool.FailedDirectory}; nothing else is affected.");
            _failed.MoveAside(file, $"corrupt entry: {problem}");
            return Outcome.Done;
        }

        return file.Kind == SpoolEntry.StartKind
            ? await StartAsync(file, entry!, cancellationToken).ConfigureAwait(false)
            : await CompleteAsync(file, entry!, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome> StartAsync(SpoolFile file, SpoolEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var id = await _client.CreateTestAsync(entry.Post!, entry.Target, entry.TargetHeader, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _accepted);
            if (!string.Equals(id, entry.TestId, StringComparison.Ordinal))
            {
                _log.Warning($"spool: the gateway named test {entry.TestId} '{id}' (it ignores client-made ids); the completion goes to {id}");
                DurableFile.WriteAllText(Path.Combine(_spool.IdsDirectory, entry.TestId), id);
            }

            _log.Info($"spool: test record {id} '{entry.Post!.Name}' created");
        }
        catch (GatewayException e) when (e.Kind == GatewayFailureKind.Conflict)
        {
            Interlocked.Increment(ref _accepted);
            _log.Info($"spool: test record {entry.TestId} already exists at the gateway (an earlier attempt got through); counted as sent");
        }
        catch (GatewayException e) when (e.IsTransient)
        {
            LogTransient(e);
            return Outcome.Retry;
        }
        catch (GatewayException e)
        {
            _log.Error($"spool: {e.Message}. The gateway will not take this record; {file.FileName} and the test's completion are moved to {_spool.FailedDirectory}.");
            _failed.MoveAside(file, e.Message, entry.TestId);
            return Outcome.Done;
        }

        DurableFile.Delete(file.Path);
        return Outcome.Done;
    }

    private async Task<Outcome> CompleteAsync(SpoolFile file, SpoolEntry entry, CancellationToken cancellationToken)
    {
        if (_failed.StartWasSetAside(entry.TestId))
        {
            _log.Error($"spool: {file.FileName} completes test {entry.TestId}, whose creation the gateway refused; moved to {_spool.FailedDirectory}.");
            _failed.MoveAside(file, $"the gateway refused to create test {entry.TestId} (see the start entry's .reason); a completion cannot be sent");
            return Outcome.Done;
        }

        var idFile = Path.Combine(_spool.IdsDirectory, entry.TestId);
        var gatewayId = File.Exists(idFile) ? (await File.ReadAllTextAsync(idFile, cancellationToken).ConfigureAwait(false)).Trim() : entry.TestId;
        if (gatewayId.Length == 0)
        {
            gatewayId = entry.TestId;
        }

        IReadOnlyDictionary<string, GatewayArtifactUrl> urls;
        try
        {
            urls = await _client.CompleteTestAsync(gatewayId, entry.Put!, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _accepted);
        }
        catch (GatewayException e) when (e.IsTransient)
        {
            LogTransient(e);
            return Outcome.Retry;
        }
        catch (GatewayException e)
        {
            _log.Error($"spool: {e.Message}. Moved {file.FileName} to {_spool.FailedDirectory}.");
            _failed.MoveAside(file, e.Message);
            return Outcome.Done;
        }

        foreach (var name in entry.Put!.Artifacts ?? [])
        {
            var local = Path.Combine(file.ArtifactsDirectory, name);
            if (!File.Exists(local))
            {
                continue; // uploaded by an earlier attempt
            }

            if (!urls.TryGetValue(name, out var url) || string.IsNullOrEmpty(url.Url))
            {
                _log.Warning($"spool: the gateway gave no upload URL for artifact {name} of test {gatewayId}; it is not uploaded");
                File.Delete(local);
                continue;
            }

            try
            {
                await _client.UploadArtifactAsync(url, local, cancellationToken).ConfigureAwait(false);
            }
            catch (GatewayException e) when (e.IsTransient)
            {
                LogTransient(e);
                return Outcome.Retry;
            }
            catch (GatewayException e)
            {
                _log.Error($"spool: {e.Message}. The test record is complete; the artifacts not yet uploaded are kept in {_spool.FailedDirectory}.");
                _failed.MoveAside(file, $"test record {gatewayId} completed, but an artifact upload was refused: {e.Message}");
                return Outcome.Done;
            }

            File.Delete(local);
            Interlocked.Increment(ref _accepted);
            _log.Info($"spool: artifact {name} of test {gatewayId} uploaded");
        }

        _log.Info($"spool: test record {gatewayId} completed ({entry.Put.Status}, {entry.Put.Results.Count} result(s))");
        DurableFile.Delete(file.Path);
        if (Directory.Exists(file.ArtifactsDirectory))
        {
            Directory.Delete(file.ArtifactsDirectory, recursive: true);
        }

        if (File.Exists(idFile))
        {
            File.Delete(idFile);
        }

        return Outcome.Done;
    }

    private void LogTransient(GatewayException e)
    {
        _lastFailure = e.Message;
        if (e.Kind == GatewayFailureKind.Tls)
        {
            _log.Error($"spool: {e.Message}. Results stay in the spool until this is fixed.");
        }
        else
        {
            _log.Warning($"spool: {e.Message}; the entry stays in the spool and is retried");
        }
    }
}
