using DeviceTest.Agent.Gateway;
using DeviceTest.Agent.Ota;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// One agent run of a spec in this process (<see cref="AgentRun"/>, as the agent starts it for a Target), on an
/// <see cref="AgentDevice"/> the test makes from recording sides; records go to a <see cref="CapturingReporter"/>.
/// </summary>
internal sealed class InProcessAgentRun : IDisposable
{
    private readonly StringWriter _log = new();

    public InProcessAgentRun(string spec)
    {
        Root = Directory.CreateTempSubdirectory("devicetest-agent-run-").FullName;
        File.WriteAllText(SpecPath, spec);
    }

    public string Root { get; }

    public string SpecPath => Path.Combine(Root, "test-spec.yml");

    public CapturingReporter Reporter { get; } = new();

    /// <summary>What the agent logged.</summary>
    public string Log => _log.ToString();

    /// <summary>Runs the spec to its end or until <paramref name="cancellationToken"/> stops it (as install-pre does).</summary>
    public async Task RunAsync(AgentDevice device, CancellationToken cancellationToken)
    {
        var log = new AgentLog(_log);
        var (spec, sha256) = SpecFile.Load(SpecPath, log) ?? throw new AssertFailedException("the spec does not load:\n" + Log);
        var state = new RunState { RunId = RecordIds.New(), TargetName = "lmp-x86-64-42", SpecPath = SpecPath, SpecSha256 = sha256 };
        var context = new AgentRunContext { Log = log, Reporter = Reporter, Store = new RunStateStore(Path.Combine(Root, "state")), Device = device };
        var run = new AgentRun(context, spec, state) { StopReason = "stopped: install-pre" };
        run.Prepare();
        await run.RunAsync(cancellationToken);
    }

    public void Dispose()
    {
        _log.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
