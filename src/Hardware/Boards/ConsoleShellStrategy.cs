using System.Text.RegularExpressions;
using DeviceTest.Hardware.Consoles.Shell;

namespace DeviceTest.Hardware.Boards;

/// <summary>
/// The boot strategy of a board whose commands go over a shell on its console (a serial board, a QEMU board without
/// SSH): <c>serial</c> or <c>qemu</c>, with <c>shell</c>, in devices.yml.
/// <list type="bullet">
/// <item>bring-up: power on when needed; after a boot that the strategy started, wait for the prompt on the console
/// <em>without touching it</em> (a key press could stop a bootloader), then let the shell poke it, log in and check
/// that commands run;</item>
/// <item>reboot: the shell types the command and watches the console (<see cref="Consoles.Shell.ConsoleShell.RebootAsync"/>);</item>
/// <item>recovery: one power cycle and the wait above, or without power the console is reopened and the shell checked.</item>
/// </list>
/// States: <see cref="BoardState"/>.
/// </summary>
public sealed class ConsoleShellStrategy : IBootStrategy
{
    private readonly IDevice _shell;
    private readonly IDeviceConsole _console;
    private readonly Regex? _booted;
    private readonly BootTimeouts _timeouts;
    private readonly TimeProvider _time;
    private readonly BoardStateMachine _machine;

    /// <param name="shell">The console shell commands run through (a <see cref="Consoles.Shell.ConsoleShellDevice"/> on <paramref name="console"/>).</param>
    /// <param name="console">The console the shell is on, watched for the prompt after a boot.</param>
    /// <param name="booted">What the console shows when the board has booted (shell or login prompt); null: do not wait for it quietly.</param>
    /// <param name="power">How the board is switched (a <see cref="PowerSwitch"/>, a <see cref="QemuStrategy"/>), or null.</param>
    /// <param name="timeouts">How long to wait for what.</param>
    /// <param name="time">The clock (a fake one in tests); null: the system's.</param>
    public ConsoleShellStrategy(IDevice shell, IDeviceConsole console, Regex? booted, IBoardPower? power, BootTimeouts timeouts, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(timeouts);
        _shell = shell;
        _console = console;
        _booted = booted;
        _timeouts = timeouts;
        _time = time ?? TimeProvider.System;
        _machine = new BoardStateMachine(new Side(this), console, power, timeouts, _time);
    }

    public BoardState State => _machine.State;

    public IDevice Commands => _shell;

    public IDeviceConsole Console => _console;

    public IPower? Power => _machine.Power?.Power;

    /// <summary>How the board is switched, or null.</summary>
    public IBoardPower? BoardPower => _machine.Power;

    public Task TransitionAsync(BoardState target, TimeSpan timeout, CancellationToken cancellationToken) =>
        _machine.TransitionAsync(target, timeout, cancellationToken);

    public Task TransitionAsync(BoardState target, CancellationToken cancellationToken) =>
        _machine.TransitionAsync(target, Timeout.InfiniteTimeSpan, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _machine.RebootAsync(command, timeout, cancellationToken);

    public Task<DeviceLostException> RecoverAsync(DeviceLostException lost, CancellationToken cancellationToken) =>
        _machine.RecoverAsync(lost, cancellationToken);

    public ValueTask DisposeAsync() => _machine.DisposeAsync();

    /// <summary>
    /// After a boot the strategy started: the prompt, quietly, for all but a quarter of the time (at most 15 s kept for
    /// the shell's own check: a board that does not print a prompt by itself, "press Enter to activate", gets a
    /// newline then). Then the shell's check, within the boot timeout.
    /// </summary>
    private async Task WaitForShellAsync(PowerOnResult boot, TimeSpan timeout, CancellationToken cancellationToken)
    {
        timeout = Deadline.Min(timeout, _timeouts.BootTimeout);
        var deadline = Deadline.Start(_time, timeout);
        if (boot == PowerOnResult.BootStarted && _booted is { } booted)
        {
            var quiet = timeout - Deadline.Min(TimeSpan.FromSeconds(15), timeout / 4);
            try
            {
                await _console.OpenAsync(cancellationToken).ConfigureAwait(false);
                await _console.ExpectAsync(booted, quiet, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The shell pokes the console and says what it saw.
            }
        }

        await _shell.EnsureReadyAsync(deadline.Remaining, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the state machine needs of this strategy.</summary>
    private sealed class Side(ConsoleShellStrategy strategy) : IShellSide
    {
        public string DeviceName => strategy._shell.Name;

        public IDevice Commands => strategy._shell;

        public Task WaitForShellAsync(PowerOnResult boot, TimeSpan timeout, CancellationToken cancellationToken) =>
            strategy.WaitForShellAsync(boot, timeout, cancellationToken);

        /// <summary>A console shell has no connection of the old boot to drop: the shell checks itself again.</summary>
        public Task ResetCommandsAsync() => Task.CompletedTask;

        public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
            strategy._shell.RebootAsync(command, timeout, cancellationToken);
    }
}
