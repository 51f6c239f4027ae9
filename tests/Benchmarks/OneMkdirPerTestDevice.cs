using DeviceTest.Hardware;

namespace DeviceTest.Benchmarks;

/// <summary>
/// A device whose tests each make their own work directory, as before directories were made 32 at a time: requests
/// reach it without <see cref="WorkDirectoryRequest.MakeAhead"/>, so the runner never gets a pre-made one. For the
/// side-by-side "before" row of <c>spec-tests</c>. Does not own the device.
/// </summary>
internal sealed class OneMkdirPerTestDevice<T>(T inner) : IDevice, IWorkDirectoryCommands
    where T : IDevice, IWorkDirectoryCommands
{
    public string Name => inner.Name;

    public IReadOnlyList<string> Tags => inner.Tags;

    public IReadOnlyList<string> Transports => inner.Transports;

    public IFileTransfer Files => inner.Files;

    public IDeviceConsole? Console => inner.Console;

    public IPower? Power => inner.Power;

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) => inner.RunAsync(request, cancellationToken);

    public Task<WorkDirectoryRun> RunInWorkDirectoryAsync(WorkDirectoryRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return inner.RunInWorkDirectoryAsync(new WorkDirectoryRequest(request.Command) { RemoveFirst = request.RemoveFirst }, cancellationToken);
    }

    public Task FetchAndRemoveAsync(string workDirectory, string localDirectory, CancellationToken cancellationToken) =>
        inner.FetchAndRemoveAsync(workDirectory, localDirectory, cancellationToken);

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) => inner.EnsureReadyAsync(timeout, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        inner.RebootAsync(command, timeout, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
