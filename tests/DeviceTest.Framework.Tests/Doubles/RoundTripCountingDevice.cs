using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>
/// A real device (local, SSH, console) with every round trip the runner asks for recorded: "run &lt;command&gt;",
/// "test &lt;command&gt; removing N[ premade][ making K]" (in a pre-made directory; making K more ahead), "fetch",
/// "reboot", in order, and the work directories the device reported. Does not own the device.
/// </summary>
public sealed class RoundTripCountingDevice(IDevice inner) : IDevice, IWorkDirectoryCommands
{
    private readonly IWorkDirectoryCommands _commands = (IWorkDirectoryCommands)inner;

    public List<string> Trips { get; } = [];

    /// <summary>Every work directory the device reported a test ran in.</summary>
    public List<string> WorkDirectories { get; } = [];

    /// <summary>Every work directory the device reported it made ahead.</summary>
    public List<string> MadeAhead { get; } = [];

    /// <summary>The pre-made directory each test was given (null: none), in order.</summary>
    public List<string?> Premade { get; } = [];

    public string Name => inner.Name;

    public IReadOnlyList<string> Tags => inner.Tags;

    public IReadOnlyList<string> Transports => inner.Transports;

    public IFileTransfer Files => inner.Files;

    public IDeviceConsole? Console => inner.Console;

    public IPower? Power => inner.Power;

    public int Count(string kind) => Trips.Count(trip => trip.StartsWith(kind + " ", StringComparison.Ordinal) || trip == kind);

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Trips.Add("run " + request.Command);
        return inner.RunAsync(request, cancellationToken);
    }

    public async Task<WorkDirectoryRun> RunInWorkDirectoryAsync(WorkDirectoryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Trips.Add($"test {request.Command.Command} removing {request.RemoveFirst.Count}"
            + (request.Premade is null ? string.Empty : " premade")
            + (request.MakeAhead > 0 ? $" making {request.MakeAhead}" : string.Empty));
        Premade.Add(request.Premade);
        var run = await _commands.RunInWorkDirectoryAsync(request, cancellationToken);
        if (run.Path is not null)
        {
            WorkDirectories.Add(run.Path);
        }

        MadeAhead.AddRange(run.MadeAhead);

        return run;
    }

    public Task FetchAndRemoveAsync(string workDirectory, string localDirectory, CancellationToken cancellationToken)
    {
        Trips.Add("fetch");
        return _commands.FetchAndRemoveAsync(workDirectory, localDirectory, cancellationToken);
    }

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) => inner.EnsureReadyAsync(timeout, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Trips.Add("reboot");
        return inner.RebootAsync(command, timeout, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
