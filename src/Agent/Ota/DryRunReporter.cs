using System.Text.Json;
using DeviceTest.Agent.Gateway;

namespace DeviceTest.Agent.Ota;

/// <summary><c>--dry-run</c>: prints each record as the agent would report it, sends nothing.</summary>
internal sealed class DryRunReporter(AgentLog log) : ITestReporter
{
    public Task StartTestAsync(string testId, string name, string targetName, CancellationToken cancellationToken)
    {
        log.Info($"dry-run: would POST /tests {Json(new RecordLine { Event = "start", TestId = testId, Name = name, Target = targetName, Time = DateTimeOffset.UtcNow })}");
        return Task.CompletedTask;
    }

    public Task CompleteTestAsync(string testId, GatewayTestCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var line = new RecordLine
        {
            Event = "complete",
            TestId = testId,
            Status = completion.Status,
            Details = completion.Details,
            Results = completion.Results,
            Artifacts = [.. completion.ArtifactPaths.Select(Path.GetFileName).OfType<string>()],
            Time = DateTimeOffset.UtcNow,
        };
        log.Info($"dry-run: would PUT /tests/{testId} {Json(line)}");
        return Task.CompletedTask;
    }

    private static string Json(RecordLine line) =>
        JsonSerializer.Serialize(line, AgentJsonContext.Compact.RecordLine);
}
