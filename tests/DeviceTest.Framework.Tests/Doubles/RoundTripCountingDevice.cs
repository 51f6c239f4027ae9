using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>
/// A real device (local, SSH, console) with every round trip the runner asks for recorded: "run &lt;command&gt;",
/// "test &lt;command&gt; removing N", "fetch", "reboot", in order, and the work directories the device made. Does not
/// own the device.
/// </summary>
public sealed class RoundTripCountingDevice(IDevice inner) : IDevice, IWorkDirectoryCommands
{
    private readonly IWorkDirectoryCommands _commands = (IWorkDirectoryCommands)inner;

    public List<string> Trips { get; } = [];

    /// <summary>Every work directory the device reported.</summary>
    public List<string> WorkDirectories { get; } = [];

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
        Trips.Add($"test {request.Command.Command} removing {request.RemoveFirst.Count}");
        var run = await _commands.RunInWorkDirectoryAsync(request, cancellationToken);
        if (run.Path is not null)
        {
            WorkDirectories.Add(run.Path);
        }

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
