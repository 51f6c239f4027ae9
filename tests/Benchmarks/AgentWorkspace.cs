using DeviceTest.Lab;

namespace DeviceTest.Benchmarks;

/// <summary>
/// A folder laid out as a device the agent runs on: aktualizr's sota folder with a current Target, the smoke spec,
/// the agent's state and results files; and the agent's arguments for it (listening on a port of its own).
/// </summary>
internal sealed class AgentWorkspace : IDisposable
{
    private readonly LoopbackPort _port;

    private AgentWorkspace(string root, LoopbackPort port)
    {
        Root = root;
        _port = port;
        Sota = Path.Combine(root, "sota");
        Records = Path.Combine(root, "records.jsonl");
        RunState = Path.Combine(root, "state", "run-state.json");
        Arguments =
        [
            "agent", "--spec", Path.Combine(root, "test-spec.yml"), "--listen", $"127.0.0.1:{port.Number}", "--sota-dir", Sota,
            "--conf-d", Path.Combine(root, "conf.d"), "--state-dir", Path.Combine(root, "state"), "--results-file", Records,
        ];
    }

    public string Root { get; }

    /// <summary>aktualizr's folder (current-target; the agent writes its callback script here).</summary>
    public string Sota { get; }

    /// <summary>The agent's results file (one JSON line per record).</summary>
    public string Records { get; }

    /// <summary>The run's state, removed after the run's last record.</summary>
    public string RunState { get; }

    /// <summary><c>agent</c> and its options.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Lays the folder out in <paramref name="root"/> with Target <paramref name="target"/>.</summary>
    public static async Task<AgentWorkspace> CreateAsync(string root, string target)
    {
        var port = LoopbackPort.Reserve();
        var workspace = new AgentWorkspace(root, port);
        Directory.CreateDirectory(workspace.Sota);
        await File.WriteAllTextAsync(Path.Combine(workspace.Sota, "current-target"), $"TARGET_NAME=\"{target}\"\n");
        File.Copy(RepositoryRoot.Combine("samples", "specs", "smoke.spec.yml"), Path.Combine(root, "test-spec.yml"));
        return workspace;
    }

    public void Dispose() => _port.Dispose();
}
