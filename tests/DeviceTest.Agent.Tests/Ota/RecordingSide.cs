using DeviceTest.Hardware;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// One side of the agent's device (this machine, or the host for on_host tests): a real device with every round trip
/// the runner asks of it recorded in a log both sides share, in order, as "&lt;side&gt;: run &lt;command&gt;",
/// "&lt;side&gt;: get-directory", "&lt;side&gt;: reboot". Only <see cref="IDevice"/>: the runner takes the portable four
/// steps on it. Does not own the device.
/// </summary>
internal sealed class RecordingSide(string side, IDevice inner, List<string> trips) : IDevice
{
    public string Side => side;

    public List<string> Trips => trips;

    public string Name => inner.Name;

    public IReadOnlyList<string> Tags => inner.Tags;

    public IReadOnlyList<string> Transports => inner.Transports;

    public IFileTransfer Files => new RecordingFiles(this, inner.Files);

    public IDeviceConsole? Console => null;

    public IPower? Power => null;

    /// <summary>The round trips of this side, without the side's name.</summary>
    public IReadOnlyList<string> Own => [.. trips.Where(t => t.StartsWith(side + ": ", StringComparison.Ordinal)).Select(t => t[(side.Length + 2)..])];

    public void Record(string trip)
    {
        lock (trips)
        {
            trips.Add($"{side}: {trip}");
        }
    }

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Record("run " + request.Command);
        return inner.RunAsync(request, cancellationToken);
    }

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) => inner.EnsureReadyAsync(timeout, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Record("reboot");
        return inner.RebootAsync(command, timeout, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class RecordingFiles(RecordingSide side, IFileTransfer files) : IFileTransfer
    {
        public Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken)
        {
            side.Record("put " + remotePath);
            return files.PutAsync(localPath, remotePath, mode, cancellationToken);
        }

        public Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken)
        {
            side.Record("get " + remotePath);
            return files.GetAsync(remotePath, localPath, cancellationToken);
        }

        public Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken)
        {
            side.Record("get-directory " + remoteDirectory);
            return files.GetDirectoryAsync(remoteDirectory, localDirectory, cancellationToken);
        }
    }
}
