using DeviceTest.Hardware;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// A side of the agent's device that runs a test in one round trip (a real <see cref="IWorkDirectoryCommands"/>
/// device), recorded as <see cref="RecordingSide"/> does, with "&lt;side&gt;: test removing N[ premade][ making K]"
/// and "&lt;side&gt;: fetch"; it also keeps which work directories it made and which ones it was asked to use, fetch
/// or remove, so that a test can check that no directory of one side ever reached the other. Does not own the device.
/// </summary>
internal sealed class RecordingOneRoundTripSide : IDevice, IWorkDirectoryCommands
{
    private readonly RecordingSide _recording;
    private readonly IWorkDirectoryCommands _commands;

    public RecordingOneRoundTripSide(string side, IDevice inner, List<string> trips)
    {
        _recording = new RecordingSide(side, inner, trips);
        _commands = (IWorkDirectoryCommands)inner;
    }

    /// <summary>Every work directory this side reported: the tests' and those made ahead.</summary>
    public HashSet<string> Made { get; } = new(StringComparer.Ordinal);

    /// <summary>Every work directory this side was asked to use again, fetch or remove (also by <c>rm -rf</c>).</summary>
    public HashSet<string> Handled { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Own => _recording.Own;

    public string Name => _recording.Name;

    public IReadOnlyList<string> Tags => _recording.Tags;

    public IReadOnlyList<string> Transports => _recording.Transports;

    public IFileTransfer Files => _recording.Files;

    public IDeviceConsole? Console => null;

    public IPower? Power => null;

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Command.Arguments is ["rm", "-rf", "--", ..] arguments)
        {
            Handled.UnionWith(arguments.Skip(3));
        }

        return _recording.RunAsync(request, cancellationToken);
    }

    public async Task<WorkDirectoryRun> RunInWorkDirectoryAsync(WorkDirectoryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _recording.Record($"test removing {request.RemoveFirst.Count}"
            + (request.Premade is null ? string.Empty : " premade")
            + (request.MakeAhead > 0 ? $" making {request.MakeAhead}" : string.Empty));
        Handled.UnionWith(request.RemoveFirst);
        if (request.Premade is { } premade)
        {
            Handled.Add(premade);
        }

        var run = await _commands.RunInWorkDirectoryAsync(request, cancellationToken);
        if (run.Path is { } path)
        {
            Made.Add(path);
        }

        Made.UnionWith(run.MadeAhead);
        return run;
    }

    public Task FetchAndRemoveAsync(string workDirectory, string localDirectory, CancellationToken cancellationToken)
    {
        _recording.Record("fetch");
        Handled.Add(workDirectory);
        return _commands.FetchAndRemoveAsync(workDirectory, localDirectory, cancellationToken);
    }

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) => _recording.EnsureReadyAsync(timeout, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _recording.RebootAsync(command, timeout, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
