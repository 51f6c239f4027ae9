using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// A device reached with the system's OpenSSH client. One ControlMaster connection per device carries everything (and
/// is shared by the DeviceTest processes of a run, see <see cref="SshControlSocket"/>); commands run in a persistent
/// remote shell (a few ms each), a test with its work directory in one command of that shell
/// (<see cref="IWorkDirectoryCommands"/>), files move over channels of the same connection.
/// See docs/ssh.md for the protocol, the host key policy and the options DeviceTest passes to ssh.
/// </summary>
public sealed class SshDevice : IDevice, IWorkDirectoryCommands
{
    private const int MaxSessions = 4;
    private readonly SshArguments _arguments;
    private readonly SshMaster _master;
    private readonly SshControlSocket _socket;
    private readonly SemaphoreSlim _sessionSlots = new(MaxSessions, MaxSessions);
    private readonly Lock _idleGate = new();
    private readonly Stack<SshSession> _idle = new();
    private readonly SshWorkDirectories _workDirectories;
    private int _disposed;

    /// <param name="config">The device entry; its <see cref="DeviceConfig.Ssh"/> section is required.</param>
    /// <param name="console">The device's console when it has one besides SSH (e.g. QEMU's serial), else null.</param>
    /// <param name="power">The device's power control, else null.</param>
    public SshDevice(DeviceConfig config, IDeviceConsole? console = null, IPower? power = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ssh = config.Ssh ?? throw new ArgumentException($"device '{config.Name}' has no ssh section.", nameof(config));
        Name = config.Name;
        Tags = config.Tags;
        Console = console;
        Power = power;
        _socket = SshControlSocket.For(ssh, config.BaseDirectory);
        _arguments = new SshArguments(config.Name, ssh, config.BaseDirectory, _socket.Path);
        _master = new SshMaster(_arguments, _socket);
        Files = new SshFileTransfer(_arguments, _master);
        _workDirectories = new SshWorkDirectories(this);
        Transports = ["ssh " + _arguments.Target];
    }

    public string Name { get; }

    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<string> Transports { get; }

    public IFileTransfer Files { get; }

    public IDeviceConsole? Console { get; }

    public IPower? Power { get; }

    /// <summary>The default reboot command when a reboot step names none.</summary>
    public static CommandLine DefaultRebootCommand { get; } = CommandLine.FromShell("reboot");

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return OnSessionAsync(session => session.RunAsync(request, SignalAsync, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<WorkDirectoryRun> RunInWorkDirectoryAsync(WorkDirectoryRequest request, CancellationToken cancellationToken) =>
        _workDirectories.RunAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task FetchAndRemoveAsync(string workDirectory, string localDirectory, CancellationToken cancellationToken) =>
        _workDirectories.FetchAndRemoveAsync(workDirectory, localDirectory, cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> on an idle persistent session (a new one when none is idle). A session found dead
    /// before its command started is replaced once; a session that breaks makes the device lost.
    /// </summary>
    internal async Task<T> OnSessionAsync<T>(Func<SshSession, Task<T>> action, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _sessionSlots.WaitAsync(cancellationToken);
        SshSession? session = null;
        try
        {
            session = await TakeSessionAsync(cancellationToken);
            try
            {
                return await action(session);
            }
            catch (SessionClosedException)
            {
                // The session was already dead (e.g. its master went away while it was idle) and the command never
                // started: start over once on a new session.
                await session.DisposeAsync();
                session = null;
                _master.MarkSuspect();
                session = await TakeSessionAsync(cancellationToken);
                return await action(session);
            }
        }
        catch (SessionClosedException e)
        {
            _master.MarkSuspect();
            throw new DeviceLostException($"device lost: '{Name}' ({SshErrors.Describe(_arguments)}): {e.Message}", e);
        }
        catch (DeviceLostException)
        {
            _master.MarkSuspect();
            throw;
        }
        finally
        {
            if (session is not null)
            {
                await ReturnSessionAsync(session);
            }

            _sessionSlots.Release();
        }
    }

    /// <summary>Sends a signal to a remote process (group, when negative) through a channel of its own.</summary>
    internal async Task SignalAsync(int target, string signal)
    {
        var command = "kill -" + signal + " " + target.ToString(CultureInfo.InvariantCulture) + " 2>/dev/null; true";
        await SshProcess.RunAsync("ssh", _arguments.Command(command), _arguments.Config.ConnectTimeout + TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    /// <summary>
    /// Runs a command on a channel of its own instead of the persistent session, with stdin from
    /// <paramref name="stdin"/> (null: empty). Costs a channel setup (~100 ms) per command.
    /// </summary>
    internal async Task<CommandResult> RunInNewChannelAsync(CommandRequest request, Stream? stdin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _master.EnsureAsync(cancellationToken);
        try
        {
            return await SshSession.RunOnNewChannelAsync(_arguments, request, stdin, SignalAsync, cancellationToken);
        }
        catch (SessionClosedException e)
        {
            _master.MarkSuspect();
            throw new DeviceLostException($"device lost: '{Name}' ({SshErrors.Describe(_arguments)}): {e.Message}", e);
        }
        catch (DeviceLostException)
        {
            _master.MarkSuspect();
            throw;
        }
    }

    public async Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await WaitForConnectionAsync(Stopwatch.StartNew(), timeout, cancellationToken);
        var result = await RunAsync(new CommandRequest(CommandLine.FromShell("true")) { Timeout = timeout }, cancellationToken);
        if (!result.Succeeded)
        {
            throw new DeviceUnreachableException(
                $"device '{Name}' ({SshErrors.Describe(_arguments)}): logged in, but the shell does not run commands ('true' gave exit code {result.ExitCode}: {result.Stderr.Trim()}).");
        }
    }

    public async Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var stopwatch = Stopwatch.StartNew();
        command ??= DefaultRebootCommand;
        await _master.EnsureAsync(cancellationToken);
        try
        {
            var ran = await RunAsync(new CommandRequest(command) { Timeout = Min(timeout, TimeSpan.FromSeconds(30)) }, cancellationToken);
            if (!ran.TimedOut && ran.ExitCode != 0)
            {
                return new RebootOutcome
                {
                    Rebooted = false,
                    Duration = stopwatch.Elapsed,
                    Details = $"the reboot command '{command}' failed with exit code {ran.ExitCode}: {ran.Stderr.Trim()}",
                };
            }
        }
        catch (Exception e) when (e is DeviceLostException or DeviceUnreachableException)
        {
            // The connection dropped under the reboot command: the device is going down.
        }

        var down = await WaitForDownAsync(stopwatch, timeout, cancellationToken);
        if (down is null)
        {
            return new RebootOutcome
            {
                Rebooted = false,
                Duration = stopwatch.Elapsed,
                Details = $"'{command}' ran, but device '{Name}' still answered ssh after {timeout.TotalSeconds:F0} s",
            };
        }

        await DropConnectionAsync();
        try
        {
            await WaitForConnectionAsync(stopwatch, timeout, cancellationToken);
        }
        catch (DeviceUnreachableException e)
        {
            throw new DeviceLostException(
                $"device lost: '{Name}' ({SshErrors.Describe(_arguments)}) went down after '{command}' but did not answer ssh again within {timeout.TotalSeconds:F0} s: {e.Message}",
                e);
        }

        return new RebootOutcome
        {
            Rebooted = true,
            Duration = stopwatch.Elapsed,
            Details = string.Create(
                CultureInfo.InvariantCulture,
                $"went down after {down.Value.TotalSeconds:F1} s, ssh ready after {stopwatch.Elapsed.TotalSeconds:F1} s"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await CloseSessionsAsync();
        await _master.DisposeAsync();
        _socket.Dispose();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task<SshSession> TakeSessionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            SshSession? idle = null;
            lock (_idleGate)
            {
                _idle.TryPop(out idle);
            }

            if (idle is null)
            {
                break;
            }

            if (idle.IsAlive)
            {
                return idle;
            }

            await idle.DisposeAsync();
        }

        await _master.EnsureAsync(cancellationToken);
        try
        {
            return await SshSession.StartAsync(_arguments, cancellationToken);
        }
        catch (DeviceUnreachableException)
        {
            // The master may have died just now (device rebooted, network): check it and try once more.
            _master.MarkSuspect();
            await _master.EnsureAsync(cancellationToken);
            return await SshSession.StartAsync(_arguments, cancellationToken);
        }
    }

    private async Task ReturnSessionAsync(SshSession session)
    {
        if (session.IsAlive && _disposed == 0)
        {
            lock (_idleGate)
            {
                _idle.Push(session);
            }
        }
        else
        {
            await session.DisposeAsync();
        }
    }

    private async Task DropConnectionAsync()
    {
        await CloseSessionsAsync();
        await _master.ExitAsync(CancellationToken.None);
    }

    private async Task CloseSessionsAsync()
    {
        SshSession[] sessions;
        lock (_idleGate)
        {
            sessions = [.. _idle];
            _idle.Clear();
        }

        foreach (var session in sessions)
        {
            await session.DisposeAsync();
        }
    }

    private async Task WaitForConnectionAsync(Stopwatch stopwatch, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await _master.EnsureAsync(cancellationToken);
                return;
            }
            catch (DeviceUnreachableException e) when (!SshErrors.IsPermanent(e.Message) && stopwatch.Elapsed + TimeSpan.FromSeconds(1) < timeout)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>Waits until ssh stops answering; returns when that was seen (from the start), or null at the timeout.</summary>
    private async Task<TimeSpan?> WaitForDownAsync(Stopwatch stopwatch, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (stopwatch.Elapsed < timeout)
        {
            if (!await _master.CheckAsync(cancellationToken))
            {
                return stopwatch.Elapsed;
            }

            var probe = await SshProcess.RunAsync(
                "ssh", _arguments.Command("true", useMaster: false), _arguments.Config.ConnectTimeout + TimeSpan.FromSeconds(2), cancellationToken);
            if (probe.ExitCode != 0)
            {
                return stopwatch.Elapsed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        return null;
    }
}
