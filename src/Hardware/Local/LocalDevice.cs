namespace DeviceTest.Hardware.Local;

/// <summary>
/// The built-in <c>local</c> device: this machine. Commands run as local processes (see
/// <see cref="LocalProcessRunner"/>), files are copied; there is no console and no power control, and reboot steps
/// are skipped (rebooting would reboot the machine running the tests).
/// </summary>
public sealed class LocalDevice : IDevice, IWorkDirectoryCommands
{
    public const string DeviceName = "local";

    public LocalDevice()
        : this([])
    {
    }

    public LocalDevice(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        Tags = tags;
    }

    public string Name => DeviceName;

    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<string> Transports { get; } = ["local"];

    public IFileTransfer Files { get; } = new LocalFileTransfer();

    public IDeviceConsole? Console => null;

    public IPower? Power => null;

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) =>
        LocalProcessRunner.RunAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<WorkDirectoryRun> RunInWorkDirectoryAsync(WorkDirectoryRequest request, CancellationToken cancellationToken) =>
        LocalWorkDirectories.RunAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task FetchAndRemoveAsync(string workDirectory, string localDirectory, CancellationToken cancellationToken) =>
        LocalWorkDirectories.FetchAndRemoveAsync(Files, workDirectory, localDirectory, cancellationToken);

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new RebootOutcome
        {
            Rebooted = false,
            Skipped = true,
            Details = "the local device is this machine: reboot step not run",
            Duration = TimeSpan.Zero,
        });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
