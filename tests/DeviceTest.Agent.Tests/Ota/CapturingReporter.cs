using DeviceTest.Agent.Gateway;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// The agent's records kept in memory, with the content of every artifact read when its record completes (the
/// results folder of an agent run is temporary and gone afterwards).
/// </summary>
internal sealed class CapturingReporter : ITestReporter
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>The completed records in order.</summary>
    public List<CapturedRecord> Completed { get; } = [];

    public Task StartTestAsync(string testId, string name, string targetName, CancellationToken cancellationToken)
    {
        _names[testId] = name;
        return Task.CompletedTask;
    }

    public async Task CompleteTestAsync(string testId, GatewayTestCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var artifacts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in completion.ArtifactPaths.Where(p => Path.GetFileName(p) != "console.log"))
        {
            artifacts[Path.GetFileName(path)] = await File.ReadAllTextAsync(path, CancellationToken.None);
        }

        Completed.Add(new CapturedRecord(
            _names.GetValueOrDefault(testId, testId), completion.Status, completion.Details, [.. completion.Results.Select(r => r.Name)], artifacts));
    }
}
