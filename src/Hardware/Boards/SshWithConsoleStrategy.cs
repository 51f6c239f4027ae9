namespace DeviceTest.Hardware.Boards;

/// <summary>
/// The boot strategy of a board whose commands go over SSH while a console watches it (<c>serial</c> + <c>ssh</c>,
/// <c>qemu</c> + <c>ssh</c> in devices.yml). Bring-up and recovery are <see cref="SshStrategy"/>'s. A reboot is proven
/// by the console: its reboot messages (or the console closing) show the board went down, because "SSH stopped
/// answering" is not reliable evidence where a QEMU port forward keeps accepting connections all through the guest's
/// reboot. Then a new SSH connection is made and retried until the board answers. States: <see cref="BoardState"/>.
/// </summary>
public sealed class SshWithConsoleStrategy : IBootStrategy
{
    private readonly SshConnection _connection;
    private readonly IDeviceConsole _console;
    private readonly BootTimeouts _timeouts;
    private readonly TimeProvider _time;
    private readonly BoardStateMachine _machine;

    /// <param name="connect">Makes a new SSH command device; called now and after every reset of the board.</param>
    /// <param name="console">The console that watches reboots (serial, QEMU's serial).</param>
    /// <param name="power">How the board is switched (a <see cref="PowerSwitch"/>, a <see cref="QemuStrategy"/>), or null.</param>
    /// <param name="timeouts">How long to wait for what.</param>
    /// <param name="time">The clock (a fake one in tests); null: the system's.</param>
    public SshWithConsoleStrategy(Func<IDevice> connect, IDeviceConsole console, IBoardPower? power, BootTimeouts timeouts, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(timeouts);
        _time = time ?? TimeProvider.System;
        _connection = new SshConnection(connect, timeouts, _time);
        _console = console;
        _timeouts = timeouts;
        _machine = new BoardStateMachine(new Side(this), console, power, timeouts, _time);
    }

    public BoardState State => _machine.State;

    public IDevice Commands => _connection.Current;

    public IDeviceConsole Console => _console;

    public IPower? Power => _machine.Power?.Power;

    /// <summary>How the board is switched, or null.</summary>
    public IBoardPower? BoardPower => _machine.Power;

    private string Name => _connection.Current.Name;

    public Task TransitionAsync(BoardState target, TimeSpan timeout, CancellationToken cancellationToken) =>
        _machine.TransitionAsync(target, timeout, cancellationToken);

    public Task TransitionAsync(BoardState target, CancellationToken cancellationToken) =>
        _machine.TransitionAsync(target, Timeout.InfiniteTimeSpan, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _machine.RebootAsync(command, timeout, cancellationToken);

    public Task<DeviceLostException> RecoverAsync(DeviceLostException lost, CancellationToken cancellationToken) =>
        _machine.RecoverAsync(lost, cancellationToken);

    public ValueTask DisposeAsync() => _machine.DisposeAsync();

    private static async Task ObserveQuietlyAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Only observed: the outcome does not matter any more.
        }
    }

    /// <summary>Runs the reboot command; null when the connection dropped under it (the device is going down).</summary>
    private static async Task<CommandResult?> SendRebootAsync(IDevice commands, CommandLine command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await commands.RunAsync(new CommandRequest(command) { Timeout = timeout }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeviceLostException or DeviceUnreachableException)
        {
            return null;
        }
    }

    private async Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, IBoardPower? power, CancellationToken cancellationToken)
    {
        var clock = Deadline.Start(_time, timeout);
        command ??= CommandLine.FromShell("reboot");
        var text = command.ToShellString();
        await _console.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Forget what the console printed before (an earlier boot's messages would look like this reboot's).
        await _console.ExpectAsync(ConsoleSigns.AllText, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signal = _console.ExpectAsync(ConsoleSigns.RebootSignal, timeout, stop.Token);
        var sent = SendRebootAsync(_connection.Current, command, Deadline.Min(timeout, _timeouts.RebootCommandTimeout), stop.Token);
        if (await Task.WhenAny(signal, sent).ConfigureAwait(false) == sent && await sent.ConfigureAwait(false) is { TimedOut: false, ExitCode: not 0 } failed)
        {
            stop.Cancel();
            await ObserveQuietlyAsync(signal).ConfigureAwait(false);
            return new RebootOutcome
            {
                Rebooted = false,
                Duration = clock.Elapsed,
                Details = $"the reboot command '{text}' failed with exit code {failed.ExitCode}: {(failed.Stderr + failed.Stdout).Trim()}",
            };
        }

        string evidence;
        try
        {
            evidence = $"console: \"{(await signal.ConfigureAwait(false)).Value.Trim()}\"";
        }
        catch (TimeoutException e)
        {
            stop.Cancel();
            _ = ObserveQuietlyAsync(sent);
            return new RebootOutcome
            {
                Rebooted = false,
                Duration = clock.Elapsed,
                Details = BootText.Invariant($"'{text}' ran, but device '{Name}' showed no sign of rebooting on its console within {timeout.TotalSeconds:0} s ({e.Message})"),
            };
        }
        catch (DeviceLostException)
        {
            evidence = "its console closed";
        }

        var down = clock.Elapsed;

        // The command's SSH session ends with the old boot; do not wait long for it (its ssh is dropped below).
        try
        {
            await sent.WaitAsync(TimeSpan.FromSeconds(5), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            stop.Cancel();
            _ = ObserveQuietlyAsync(sent);
        }

        await _connection.ResetAsync().ConfigureAwait(false);
        try
        {
            if (power is not null)
            {
                // A QEMU that exited with the reboot is started again; a switched-on relay stays as it is.
                await power.OnAsync(cancellationToken).ConfigureAwait(false);
            }

            await _connection.WaitForShellAsync(PowerOnResult.BootStarted, clock.Remaining, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or TimeoutException)
        {
            throw new DeviceLostException(
                BootText.Invariant($"device lost: '{Name}' went down after '{text}' ({evidence}) but did not answer again within {timeout.TotalSeconds:0} s: {BootText.StripLost(e.Message)}"),
                e);
        }

        return new RebootOutcome
        {
            Rebooted = true,
            Duration = clock.Elapsed,
            Details = BootText.Invariant($"went down after {down.TotalSeconds:0.0} s ({evidence}), shell ready after {clock.Elapsed.TotalSeconds:0.0} s"),
        };
    }

    /// <summary>What the state machine needs of this strategy.</summary>
    private sealed class Side(SshWithConsoleStrategy strategy) : IShellSide
    {
        public string DeviceName => strategy.Name;

        public IDevice Commands => strategy._connection.Current;

        public Task WaitForShellAsync(PowerOnResult boot, TimeSpan timeout, CancellationToken cancellationToken) =>
            strategy._connection.WaitForShellAsync(boot, timeout, cancellationToken);

        public Task ResetCommandsAsync() => strategy._connection.ResetAsync();

        public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
            strategy.RebootAsync(command, timeout, strategy._machine.Power, cancellationToken);
    }
}
