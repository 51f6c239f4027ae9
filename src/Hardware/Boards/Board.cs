using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Boards;

/// <summary>
/// A device made of parts, as in labgrid's resource/driver/strategy split: a command device (an
/// <see cref="Ssh.SshDevice"/> or a <see cref="ConsoleShellDevice"/>), an optional console, optional power, an
/// optional QEMU machine, and a <see cref="BootStrategy"/> that brings the parts from any state to "shell ready",
/// reboots the board and recovers it when it stops answering mid-run (see docs/devices.md).
/// </summary>
public sealed class Board : IDevice
{
    private readonly Func<IDevice> _createCommands;
    private readonly SemaphoreSlim _recovery = new(1, 1);
    private IDevice _commands;
    private int _disposed;

    /// <param name="name">The device's name.</param>
    /// <param name="tags">Its tags.</param>
    /// <param name="transports">What it uses, for display.</param>
    /// <param name="createCommands">
    /// Makes the command device. Called once at construction and, when <paramref name="commandsOverConsole"/> is false
    /// (SSH), again after every reset of the board (reboot, power cycle, QEMU restart) so that no connection of the
    /// old boot is reused.
    /// </param>
    /// <param name="commandsOverConsole">True when commands go over <paramref name="console"/> (a console shell).</param>
    /// <param name="console">The console (serial, ser2net, QEMU serial), or null. The board disposes it.</param>
    /// <param name="power">Power control, or null.</param>
    /// <param name="machine">The QEMU machine of a virtual board, or null. The board stops and disposes it.</param>
    /// <param name="strategy">How the board boots, reboots and recovers.</param>
    public Board(
        string name,
        IReadOnlyList<string> tags,
        IReadOnlyList<string> transports,
        Func<IDevice> createCommands,
        bool commandsOverConsole,
        IDeviceConsole? console,
        IPower? power,
        QemuMachine? machine,
        BootStrategy strategy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(transports);
        ArgumentNullException.ThrowIfNull(createCommands);
        ArgumentNullException.ThrowIfNull(strategy);
        if (commandsOverConsole && console is null)
        {
            throw new ArgumentException("a board whose commands go over its console needs a console", nameof(console));
        }

        Name = name;
        Tags = tags;
        Transports = transports;
        _createCommands = createCommands;
        CommandsOverConsole = commandsOverConsole;
        Console = console;
        Power = power;
        Machine = machine;
        Strategy = strategy;
        _commands = createCommands();
        Files = _commands.Files is IBatchFileTransfer and IBatchCheckAndPut ? new BoardBatchFiles(this) : new BoardFiles(this);
    }

    public string Name { get; }

    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<string> Transports { get; }

    /// <summary>The files of the current command device (SSH: scp/sftp; console shell: base64 chunks).</summary>
    public IFileTransfer Files { get; }

    public IDeviceConsole? Console { get; }

    public IPower? Power { get; }

    /// <summary>The QEMU machine of a virtual board, or null.</summary>
    public QemuMachine? Machine { get; }

    public BootStrategy Strategy { get; }

    /// <summary>The board's screen, keyboard and network link (from devices.yml or QMP). The board disposes them.</summary>
    public DeviceCapabilities Capabilities { get; init; } = DeviceCapabilities.None;

    public IScreen? Screen => Capabilities.Screen;

    public IKeyboard? Keyboard => Capabilities.Keyboard;

    public INetworkLink? Network => Capabilities.Network;

    /// <summary>The device commands currently go to.</summary>
    public IDevice Commands => _commands;

    /// <summary>True when commands go over the console (a console shell), false for SSH.</summary>
    public bool CommandsOverConsole { get; }

    /// <summary>True once the board was powered on by this object (power on is done once, at the first bring-up).</summary>
    internal bool PoweredOn { get; set; }

    /// <summary>
    /// Runs a command. When the device stops answering (<see cref="DeviceLostException"/>), the boot strategy
    /// power-cycles it once (when it has power) and brings it back before the exception is rethrown with an account of
    /// what happened, so that the test fails with the cause and the next test gets a recovered device.
    /// </summary>
    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        try
        {
            return await _commands.RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (DeviceLostException lost) when (!cancellationToken.IsCancellationRequested)
        {
            await _recovery.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                throw await Strategy.RecoverAsync(this, lost, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _recovery.Release();
            }
        }
    }

    public async Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _recovery.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Strategy.EnsureReadyAsync(this, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _recovery.Release();
        }
    }

    public async Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _recovery.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Strategy.RebootAsync(this, command, timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _recovery.Release();
        }
    }

    /// <summary>Closes the command device, the console and the power of the board; stops QEMU.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _commands.DisposeAsync().ConfigureAwait(false);
        if (Console is not null)
        {
            await Console.DisposeAsync().ConfigureAwait(false);
        }

        if (Power is IAsyncDisposable power)
        {
            await power.DisposeAsync().ConfigureAwait(false);
        }

        await Capabilities.DisposeAsync().ConfigureAwait(false);
        if (Machine is not null)
        {
            await Machine.DisposeAsync().ConfigureAwait(false);
        }

        _recovery.Dispose();
    }

    /// <summary>After a reset of the board: an SSH command device is replaced by a new one (no stale connection survives).</summary>
    internal async Task ResetCommandsAsync()
    {
        if (CommandsOverConsole || _disposed != 0)
        {
            return;
        }

        var old = _commands;
        _commands = _createCommands();
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await old.DisposeAsync().AsTask().WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The old connection is gone with the old boot; its processes die with it or with ControlPersist.
        }
    }

    /// <summary>Files through whatever command device is current (it changes after a reset).</summary>
    private class BoardFiles(Board board) : IFileTransfer
    {
        protected IFileTransfer Current => board._commands.Files;

        public Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken) =>
            board._commands.Files.PutAsync(localPath, remotePath, mode, cancellationToken);

        public Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken) =>
            board._commands.Files.GetAsync(remotePath, localPath, cancellationToken);

        public Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken) =>
            board._commands.Files.GetDirectoryAsync(remoteDirectory, localDirectory, cancellationToken);
    }

    /// <summary>The same, with the batch operations of a command device that has them (SSH).</summary>
    private sealed class BoardBatchFiles(Board board) : BoardFiles(board), IBatchFileTransfer, IBatchCheckAndPut
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
