namespace DeviceTest.Hardware.Boards;

/// <summary>
/// A device made of parts, as in labgrid's resource/driver/strategy split: its identity and a boot strategy
/// (<see cref="IBootStrategy"/>) that owns the parts (commands over SSH or a console shell, a console, power, a QEMU
/// machine), brings them from any state to "shell ready" or off, reboots the board and recovers it when it stops
/// answering mid-run (see docs/devices.md). Made by <see cref="DeviceFactory"/>.
/// </summary>
public sealed class Board : IDevice, IWorkDirectoryCommands
{
    private int _disposed;

    /// <param name="name">The device's name.</param>
    /// <param name="tags">Its tags.</param>
    /// <param name="transports">What it uses, for display.</param>
    /// <param name="strategy">Its boot strategy, which owns its parts; the board disposes it.</param>
    public Board(string name, IReadOnlyList<string> tags, IReadOnlyList<string> transports, IBootStrategy strategy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(transports);
        ArgumentNullException.ThrowIfNull(strategy);
        Name = name;
        Tags = tags;
        Transports = transports;
        Strategy = strategy;
        Files = strategy.Commands.Files is IBatchFileTransfer and IBatchCheckAndPut ? new BoardBatchFiles(strategy) : new BoardFiles(strategy);
    }

    public string Name { get; }

    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<string> Transports { get; }

    /// <summary>The files of the current command device (SSH: scp/sftp; console shell: base64 chunks).</summary>
    public IFileTransfer Files { get; }

    public IDeviceConsole? Console => Strategy.Console;

    public IPower? Power => Strategy.Power;

    /// <summary>How the board is flashed (docs/flash.md), or null; made by <see cref="DeviceFactory"/> with the board's strategy.</summary>
    public Flashing.IDeviceFlash? Flash { get; init; }

    /// <summary>How the board boots, reboots, switches off and recovers.</summary>
    public IBootStrategy Strategy { get; }

    /// <summary>The board's screen, keyboard and network link (from devices.yml or QMP). The board disposes them.</summary>
    public DeviceCapabilities Capabilities { get; init; } = DeviceCapabilities.None;

    public IScreen? Screen => Capabilities.Screen;

    public IKeyboard? Keyboard => Capabilities.Keyboard;

    public INetworkLink? Network => Capabilities.Network;

    /// <summary>The connection to the lab host of its <c>lab</c> section that its flash and capabilities share, or null. The board disposes it after them.</summary>
    public Lab.LabConnection? LabConnection { get; init; }

    /// <summary>The device commands currently go to.</summary>
    public IDevice Commands => Strategy.Commands;

    /// <summary>
    /// Runs a command. When the device stops answering (<see cref="DeviceLostException"/>), the boot strategy
    /// power-cycles it once (when it has power) and brings it back before the exception is rethrown with an account of
    /// what happened, so that the test fails with the cause and the next test gets a recovered device.
    /// </summary>
    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) =>
        RecoveringAsync(commands => commands.RunAsync(request, cancellationToken), cancellationToken);

    /// <summary>A test in one round trip through the command device (see <see cref="RunAsync"/> for a lost device).</summary>
    public Task<WorkDirectoryRun> RunInWorkDirectoryAsync(WorkDirectoryRequest request, CancellationToken cancellationToken) =>
        RecoveringAsync(commands => WorkDirectories(commands).RunInWorkDirectoryAsync(request, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task FetchAndRemoveAsync(string workDirectory, string localDirectory, CancellationToken cancellationToken) =>
        RecoveringAsync(
            async commands =>
            {
                await WorkDirectories(commands).FetchAndRemoveAsync(workDirectory, localDirectory, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>Brings the board to <see cref="BoardState.Shell"/>.</summary>
    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return Strategy.TransitionAsync(BoardState.Shell, timeout, cancellationToken);
    }

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return Strategy.RebootAsync(command, timeout, cancellationToken);
    }

    /// <summary>Disposes the flash and the capabilities, then the lab connection they shared, then the strategy: the
    /// command device, the console and the power; QEMU is stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Flash is IAsyncDisposable flash)
        {
            await flash.DisposeAsync().ConfigureAwait(false);
        }

        await Capabilities.DisposeAsync().ConfigureAwait(false);
        if (LabConnection is not null)
        {
            await LabConnection.DisposeAsync().ConfigureAwait(false);
        }

        await Strategy.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The command device's own one-round-trip tests, or the portable ones over its commands.</summary>
    private static IWorkDirectoryCommands WorkDirectories(IDevice commands) => commands as IWorkDirectoryCommands ?? new ShellWorkDirectories(commands);

    /// <summary>Runs <paramref name="action"/> on the command device; when it is lost, the boot strategy recovers it before the exception goes on.</summary>
    private async Task<T> RecoveringAsync<T>(Func<IDevice, Task<T>> action, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        try
        {
            return await action(Strategy.Commands).ConfigureAwait(false);
        }
        catch (DeviceLostException lost) when (!cancellationToken.IsCancellationRequested)
        {
            throw await Strategy.RecoverAsync(lost, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Files through whatever command device is current (it changes after a reset).</summary>
    private class BoardFiles(IBootStrategy strategy) : IFileTransfer
    {
        protected IFileTransfer Current => strategy.Commands.Files;

        public Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken) =>
            Current.PutAsync(localPath, remotePath, mode, cancellationToken);

        public Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken) =>
            Current.GetAsync(remotePath, localPath, cancellationToken);

        public Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken) =>
            Current.GetDirectoryAsync(remoteDirectory, localDirectory, cancellationToken);
    }

    /// <summary>The same, with the batch operations of a command device that has them (SSH).</summary>
    private sealed class BoardBatchFiles(IBootStrategy strategy) : BoardFiles(strategy), IBatchFileTransfer, IBatchCheckAndPut
    {
        public Task<string?> CheckAndPutAsync(
            IReadOnlyCollection<string> remotePaths,
            Func<IReadOnlyDictionary<string, RemoteFileState>, CancellationToken, Task<BatchPutRequest>> decide,
            Action<FileUpload>? sent,
            CancellationToken cancellationToken) =>
            ((IBatchCheckAndPut)Current).CheckAndPutAsync(remotePaths, decide, sent, cancellationToken);

        public Task<IReadOnlyDictionary<string, RemoteFileState>> StatAsync(IReadOnlyCollection<string> remotePaths, CancellationToken cancellationToken) =>
            ((IBatchFileTransfer)Current).StatAsync(remotePaths, cancellationToken);

        public Task PutManyAsync(IReadOnlyList<FileUpload> files, Action<FileUpload>? sent, CancellationToken cancellationToken) =>
            ((IBatchFileTransfer)Current).PutManyAsync(files, sent, cancellationToken);
    }
}
