using System.Text;
using System.Text.Json;
using DeviceTest.Agent.Gateway;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// <c>--results-file F</c>: appends each record's start and completion to F as one JSON line (fsync'd) instead of
/// reporting to the gateway; for devices without a gateway and for checking what the agent reports. Like the
/// gateway spool it is idempotent per test id: a start or completion that is already in the file is not written again.
/// </summary>
internal sealed class RecordFileReporter : ITestReporter
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    public RecordFileReporter(string path, AgentLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        if (!File.Exists(_path))
        {
            return;
        }

        var number = 0;
        foreach (var line in File.ReadLines(_path))
        {
            number++;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                _written.Add($"{root.GetProperty("event").GetString()}:{root.GetProperty("test_id").GetString()}");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                log.Warning($"{_path}:{number}: not a record line, ignored ({e.Message})");
            }
        }
    }

    public Task StartTestAsync(string testId, string name, string targetName, CancellationToken cancellationToken) =>
        AppendAsync(new RecordLine { Event = "start", TestId = testId, Name = name, Target = targetName, Time = DateTimeOffset.UtcNow }, cancellationToken);

    public Task CompleteTestAsync(string testId, GatewayTestCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return AppendAsync(
            new RecordLine
            {
                Event = "complete",
                TestId = testId,
                Status = completion.Status,
                Details = completion.Details,
                Results = completion.Results,
                Artifacts = [.. completion.ArtifactPaths.Select(Path.GetFileName).OfType<string>()],
                Time = DateTimeOffset.UtcNow,
            },
            cancellationToken);
    }

    private Task AppendAsync(RecordLine record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_written.Add($"{record.Event}:{record.TestId}"))
            {
                return Task.CompletedTask;
            }

            var json = AgentJson.Write(record);
            var bytes = Encoding.UTF8.GetBytes(json + "\n");
            using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        return Task.CompletedTask;
    }
}
