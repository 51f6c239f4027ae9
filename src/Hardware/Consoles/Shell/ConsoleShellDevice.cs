using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Consoles.Shell;

/// <summary>
/// A device whose commands go over a shell on its console (a serial board): <c>serial:</c> plus <c>shell:</c> in
/// devices.yml. Files move as base64 through the shell (<see cref="ConsoleFileTransfer"/>); stderr arrives in
/// stdout (see <see cref="ConsoleShell"/>). A test and its work directory take one command line
/// (<see cref="IWorkDirectoryCommands"/>, through the same command path as every other command).
/// </summary>
public sealed class ConsoleShellDevice : IDevice, IWorkDirectoryCommands
{
    private readonly IDeviceConsole _console;
    private readonly ShellWorkDirectories _workDirectories;

    /// <summary>A serial board from its devices.yml entry (needs <c>serial:</c>; <c>shell:</c> is optional).</summary>
    public ConsoleShellDevice(DeviceConfig config, IPower? power = null)
        : this(
            (config ?? throw new ArgumentNullException(nameof(config))).Name,
            config.Tags,
            [$"serial {config.Serial?.Port}"],
            new SerialConsole(config.Name, config.Serial ?? throw new ArgumentException($"device {config.Name} has no serial section", nameof(config))),
            config.Shell ?? new ShellConfig(),
            power)
    {
    }

    /// <summary>A device over any console (e.g. a QEMU serial); the device owns and disposes <paramref name="console"/>.</summary>
    public ConsoleShellDevice(string name, IReadOnlyList<string> tags, IReadOnlyList<string> transports, IDeviceConsole console, ShellConfig shell, IPower? power)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(transports);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(shell);
        Name = name;
        Tags = tags;
        Transports = transports;
        _console = console;
        Power = power;
        Shell = new ConsoleShell(name, console, shell);
        Files = new ConsoleFileTransfer(Shell);
        BootTimeout = shell.BootTimeout;
        _workDirectories = new ShellWorkDirectories(this);
    }

    public string Name { get; }

    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<string> Transports { get; }

    public IFileTransfer Files { get; }

    public IDeviceConsole? Console => _console;

    public IPower? Power { get; }

    /// <summary>The shell commands run through.</summary>
    public ConsoleShell Shell { get; }

    private TimeSpan BootTimeout { get; }

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) =>
        Shell.RunAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<WorkDirectoryRun> RunInWorkDirectoryAsync(WorkDirectoryRequest request, CancellationToken cancellationToken) =>
        _workDirectories.RunInWorkDirectoryAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task FetchAndRemoveAsync(string workDirectory, string localDirectory, CancellationToken cancellationToken) =>
        _workDirectories.FetchAndRemoveAsync(workDirectory, localDirectory, cancellationToken);

    /// <summary>Opens the console, sends a newline, logs in when needed and waits for the prompt.</summary>
    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Shell.EnsureReadyAsync(timeout, cancellationToken);

    /// <summary>See <see cref="ConsoleShell.RebootAsync"/>.</summary>
    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        Shell.RebootAsync(command, timeout == Timeout.InfiniteTimeSpan ? BootTimeout : timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Shell.Dispose();
        await _console.DisposeAsync().ConfigureAwait(false);
    }
}
