using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Power;

namespace DeviceTest.Hardware.Boards;

/// <summary>
/// How a <see cref="Board"/> gets from any state to "shell ready", reboots, and comes back after it stopped answering:
/// <list type="bullet">
/// <item>bring-up: start QEMU paused, open its console, let it run (no boot output is lost), or switch the power on
/// (once); then wait for the prompt on the console (console shell: first without touching the console, so that a
/// bootloader is not stopped) or for SSH to answer (retried until the timeout), and log in;</item>
/// <item>reboot: console shells and plain SSH devices reboot as their transports do; an SSH board with a console
/// (QEMU + SSH, serial + SSH) takes the console's reboot messages as the proof that it went down (a QEMU port
/// forward keeps accepting connections while the guest reboots), then waits for SSH on a new connection;</item>
/// <item>recovery: when a command finds the device gone, the board is power-cycled once (QEMU that exited is started
/// again) and brought back before the test fails, so the next test gets a working device; without power it is only
/// reconnected, and when that fails the run stops with a clear error.</item>
/// </list>
/// </summary>
public sealed class BootStrategy
{
    private const RegexOptions Options = RegexOptions.Multiline | RegexOptions.CultureInvariant;
    private static readonly Regex AllText = new(@"[\s\S]*\z", RegexOptions.CultureInvariant);

    /// <summary>A strategy for a device with the given <c>shell</c> section (null: no console shell settings).</summary>
    public BootStrategy(ShellConfig? shell)
    {
        BootTimeout = shell?.BootTimeout ?? TimeSpan.FromMinutes(2);
        if (shell is not null)
        {
            BootedPattern = shell.Login is { } login
                ? new Regex($"(?:{login.LoginPrompt})|(?:{shell.Prompt})", Options)
                : new Regex(shell.Prompt, Options);
        }
    }

    /// <summary>How long a boot may take (power-on or reset until shell ready). Default: <c>shell.bootTimeout</c>, else 2 min.</summary>
    public TimeSpan BootTimeout { get; init; }

    /// <summary>What the console shows when the board has booted (the shell or login prompt), or null.</summary>
    public Regex? BootedPattern { get; init; }

    /// <summary>Console text that shows a reboot is under way (as <see cref="ConsoleShell.RebootSignal"/>).</summary>
    public Regex RebootSignal { get; init; } = new(
        @"(?i:restarting system|system is going down|requesting system reboot|rebooting|U-Boot \d|Linux version \d|Booting Linux|Starting kernel)",
        Options);

    /// <summary>
    /// How long a device that is not booting may take to answer over SSH (its <c>ssh.connect_timeout</c>): a board that
    /// is simply unreachable fails within this, not after <see cref="BootTimeout"/>.
    /// </summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Without power: how long to try to reach a lost device again before giving up.</summary>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the reboot command itself may run over SSH (it usually ends with the connection).</summary>
    public TimeSpan RebootCommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    internal async Task EnsureReadyAsync(Board board, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var boot = await PowerOnAsync(board, cancellationToken).ConfigureAwait(false);
            await WaitForShellAsync(board, boot, Remaining(timeout, clock), cancellationToken).ConfigureAwait(false);
        }
        catch (DeviceLostException e)
        {
            throw new DeviceUnreachableException($"device '{board.Name}' is not ready: {StripLost(e.Message)}", e);
        }
        catch (TimeoutException e)
        {
            throw new DeviceUnreachableException($"device '{board.Name}' is not ready: {e.Message}", e);
        }
        catch (PowerException e)
        {
            throw new DeviceUnreachableException($"device '{board.Name}' could not be powered on: {e.Message}", e);
        }
    }

    internal async Task<RebootOutcome> RebootAsync(Board board, CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            timeout = BootTimeout;
        }

        if (board.CommandsOverConsole || board.Console is null)
        {
            // Console shell: the shell sends the command and watches the console. Plain SSH: ssh stops answering, then
            // answers again (SshDevice does both).
            return await board.Commands.RebootAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        }

        return await RebootWatchingConsoleAsync(board, board.Console, command, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Power-cycles (or reconnects) a device that stopped answering; returns the exception that fails the test.</summary>
    internal async Task<DeviceLostException> RecoverAsync(Board board, DeviceLostException lost, CancellationToken cancellationToken)
    {
        var cause = StripLost(lost.Message);
        var clock = Stopwatch.StartNew();
        string action;
        try
        {
            if (board.Machine is { IsRunning: false })
            {
                action = "QEMU was not running any more; started it again";
                await StartMachineAsync(board, cancellationToken).ConfigureAwait(false);
            }
            else if (board.Power is { } power)
            {
                action = power is QmpPower ? "qmp system_reset" : power.Description;
                await power.CycleAsync(cancellationToken).ConfigureAwait(false);
                await board.ResetCommandsAsync().ConfigureAwait(false);
            }
            else
            {
                return await ReconnectAsync(board, lost, cause, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is PowerException or DeviceUnreachableException or Qemu.QmpException or IOException or InvalidOperationException)
        {
            return new DeviceLostException($"device lost: {cause}; power-cycling device '{board.Name}' failed: {e.Message}", lost);
        }

        try
        {
            await WaitForShellAsync(board, BootState.Booting, BootTimeout, cancellationToken).ConfigureAwait(false);
            return new DeviceLostException(
                Invariant($"device lost: {cause}; power-cycled ({action}) and the device was back after {clock.Elapsed.TotalSeconds:0.0} s"), lost);
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or TimeoutException)
        {
            return new DeviceLostException(
                Invariant($"device lost: {cause}; power-cycled ({action}) but the device did not come back within {BootTimeout.TotalSeconds:0} s: {StripLost(e.Message)}"),
                lost);
        }
    }

    /// <summary>Starts QEMU paused, connects the console, lets the guest run: the console sees the whole boot.</summary>
    internal static async Task StartMachineAsync(Board board, CancellationToken cancellationToken)
    {
        var machine = board.Machine!;
        if (board.Console is SerialConsole serial)
        {
            // After QEMU died, let the console's reader notice the closed socket, so that it reconnects.
            for (var i = 0; i < 50 && serial.IsOpen; i++)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        await machine.StartAsync(cancellationToken).ConfigureAwait(false);
        if (board.Console is { } console)
        {
            await console.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        var status = await machine.Qmp.QueryStatusAsync(cancellationToken).ConfigureAwait(false);
        if (!status.Running)
        {
            await machine.Qmp.ContinueAsync(cancellationToken).ConfigureAwait(false);
        }

        board.PoweredOn = true;
        await board.ResetCommandsAsync().ConfigureAwait(false);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The message without a leading "device lost: ", on one line (console patterns hold newlines).</summary>
    private static string StripLost(string message)
    {
        var text = message.StartsWith("device lost: ", StringComparison.OrdinalIgnoreCase) ? message["device lost: ".Length..] : message;
        return text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) =>
        a == Timeout.InfiniteTimeSpan ? b : b == Timeout.InfiniteTimeSpan ? a : a < b ? a : b;

    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch clock)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return timeout;
        }

        var remaining = timeout - clock.Elapsed;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1);
    }

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

    /// <summary>Powers the board on when that is needed, and says whether it boots now.</summary>
    private static async Task<BootState> PowerOnAsync(Board board, CancellationToken cancellationToken)
    {
        if (board.Machine is { IsRunning: false })
        {
            await StartMachineAsync(board, cancellationToken).ConfigureAwait(false);
            return BootState.Booting;
        }

        if (board.Power is { } power && !board.PoweredOn)
        {
            // A relay that is on already stays on: switching on does not reboot a running board.
            await power.OnAsync(cancellationToken).ConfigureAwait(false);
            board.PoweredOn = true;
            return BootState.MaybeBooting;
        }

        board.PoweredOn = true;
        return BootState.Settled;
    }

    /// <summary>
    /// Waits for the shell: on a fresh boot first for the prompt without touching the console, then logs in. A device
    /// that is not booting gets <see cref="AnswerTimeout"/> over SSH, and at most <see cref="BootTimeout"/> on a console.
    /// </summary>
    private async Task WaitForShellAsync(Board board, BootState boot, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        timeout = Min(timeout, BootTimeout);
        if (boot == BootState.Settled && !board.CommandsOverConsole)
        {
            timeout = Min(timeout, AnswerTimeout);
        }

        if (boot == BootState.Booting && board.CommandsOverConsole && BootedPattern is { } booted && board.Console is { } console)
        {
            // Keep a quarter (at most 15 s) for the shell's own check: a board that does not print a prompt by
            // itself ("press Enter to activate") gets a newline then.
            var quiet = timeout - Min(TimeSpan.FromSeconds(15), timeout / 4);
            try
            {
                await console.OpenAsync(cancellationToken).ConfigureAwait(false);
                await console.ExpectAsync(booted, quiet, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The shell pokes the console and says what it saw.
            }
        }

        await board.Commands.EnsureReadyAsync(Remaining(timeout, clock), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Without power: reconnect (new SSH connection, console reopened) and report whether that worked.</summary>
    private async Task<DeviceLostException> ReconnectAsync(Board board, DeviceLostException lost, string cause, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await board.ResetCommandsAsync().ConfigureAwait(false);
        try
        {
            await WaitForShellAsync(board, BootState.Settled, ReconnectTimeout, cancellationToken).ConfigureAwait(false);
            return new DeviceLostException(
                Invariant($"device lost: {cause}; device '{board.Name}' answered again after {clock.Elapsed.TotalSeconds:0.0} s (reconnected; it has no power control to power-cycle it)"),
                lost);
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or TimeoutException)
        {
            return new DeviceLostException(
                $"device lost: {cause}; device '{board.Name}' does not answer any more ({StripLost(e.Message)}) and has no power control " +
                "to power-cycle it: add a `power` section to its entry in devices.yml, or bring it back by hand",
                lost);
        }
    }

    private async Task<RebootOutcome> RebootWatchingConsoleAsync(
        Board board, IDeviceConsole console, CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        command ??= CommandLine.FromShell("reboot");
        var text = command.ToShellString();
        await console.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Forget what the console printed before (an earlier boot's messages would look like this reboot's).
        await console.ExpectAsync(AllText, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signal = console.ExpectAsync(RebootSignal, timeout, stop.Token);
        var sent = SendRebootAsync(board.Commands, command, Min(timeout, RebootCommandTimeout), stop.Token);
        if (await Task.WhenAny(signal, sent).ConfigureAwait(false) == sent && await sent.ConfigureAwait(false) is { TimedOut: false, ExitCode: not 0 } failed)
        {
            await stop.CancelAsync().ConfigureAwait(false);
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
            await stop.CancelAsync().ConfigureAwait(false);
            _ = ObserveQuietlyAsync(sent);
            return new RebootOutcome
            {
                Rebooted = false,
                Duration = clock.Elapsed,
                Details = Invariant($"'{text}' ran, but device '{board.Name}' showed no sign of rebooting on its console within {timeout.TotalSeconds:0} s ({e.Message})"),
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
            await sent.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            _ = ObserveQuietlyAsync(sent);
        }

        await board.ResetCommandsAsync().ConfigureAwait(false);
        try
        {
            if (board.Machine is { IsRunning: false })
            {
                await StartMachineAsync(board, cancellationToken).ConfigureAwait(false);
            }

            await WaitForShellAsync(board, BootState.Booting, Remaining(timeout, clock), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or TimeoutException)
        {
            throw new DeviceLostException(
                Invariant($"device lost: '{board.Name}' went down after '{text}' ({evidence}) but did not answer again within {timeout.TotalSeconds:0} s: {StripLost(e.Message)}"),
                e);
        }

        return new RebootOutcome
        {
            Rebooted = true,
            Duration = clock.Elapsed,
            Details = Invariant($"went down after {down.TotalSeconds:0.0} s ({evidence}), shell ready after {clock.Elapsed.TotalSeconds:0.0} s"),
        };
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

    private enum BootState
    {
        /// <summary>Nothing was switched: the device runs (or is off for good).</summary>
        Settled,

        /// <summary>Power was switched on: it may be booting (or was on already).</summary>
        MaybeBooting,

        /// <summary>A boot started just now (QEMU started, power-cycled, rebooted).</summary>
        Booting,
    }
}
