using DeviceTest.Hardware.Power;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Boards;

/// <summary>
/// The states every board strategy shares (<see cref="BoardState"/>) and the steps between them: power on once (or
/// after an off), wait for the shell through the strategy's <see cref="IShellSide"/>, power off, reboot from the shell,
/// and recovery of a lost board (one power cycle, or a reconnect without power), with the messages users see. One
/// transition at a time.
/// </summary>
internal sealed class BoardStateMachine : IAsyncDisposable
{
    private readonly IShellSide _side;
    private readonly IDeviceConsole? _console;
    private readonly BootTimeouts _timeouts;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public BoardStateMachine(IShellSide side, IDeviceConsole? console, IBoardPower? power, BootTimeouts timeouts, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(side);
        ArgumentNullException.ThrowIfNull(timeouts);
        _side = side;
        _console = console;
        Power = power;
        _timeouts = timeouts;
        _time = time ?? TimeProvider.System;
    }

    public BoardState State { get; private set; }

    public IBoardPower? Power { get; }

    private string Name => _side.DeviceName;

    public async Task TransitionAsync(BoardState target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (target is not (BoardState.Off or BoardState.Shell))
        {
            throw new ArgumentOutOfRangeException(
                nameof(target), target, $"a board is brought to {BoardState.Off} or {BoardState.Shell}; {BoardState.On} and {BoardState.Booting} are passed through on the way");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (target == BoardState.Off)
            {
                await OffAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ShellAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            timeout = _timeouts.BootTimeout;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (State != BoardState.Shell)
            {
                await ShellAsync(timeout, cancellationToken).ConfigureAwait(false);
            }

            State = BoardState.Unknown;
            var outcome = await _side.RebootAsync(command, timeout, cancellationToken).ConfigureAwait(false);
            State = outcome.Rebooted ? BoardState.Shell : BoardState.Unknown;
            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<DeviceLostException> RecoverAsync(DeviceLostException lost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lost);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            State = BoardState.Unknown;
            return Power is null
                ? await ReconnectAsync(lost, cancellationToken).ConfigureAwait(false)
                : await PowerCycleAsync(Power, lost, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Disposes the commands, the console and the power (QEMU with it), in that order.</summary>
    public async ValueTask DisposeAsync()
    {
        await _side.Commands.DisposeAsync().ConfigureAwait(false);
        if (_console is not null)
        {
            await _console.DisposeAsync().ConfigureAwait(false);
        }

        if (Power is not null)
        {
            await Power.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task ShellAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Deadline.Start(_time, timeout);
        try
        {
            var boot = Power is null ? PowerOnResult.NothingSwitched : await Power.OnAsync(cancellationToken).ConfigureAwait(false);
            if (boot == PowerOnResult.BootStarted)
            {
                State = BoardState.Booting;
                await _side.ResetCommandsAsync().ConfigureAwait(false);
            }
            else if (boot == PowerOnResult.SwitchedOn)
            {
                State = BoardState.On;
            }

            await _side.WaitForShellAsync(boot, deadline.Remaining, cancellationToken).ConfigureAwait(false);
            State = BoardState.Shell;
        }
        catch (DeviceLostException e)
        {
            State = BoardState.Unknown;
            throw new DeviceUnreachableException($"device '{Name}' is not ready: {BootText.StripLost(e.Message)}", e);
        }
        catch (TimeoutException e)
        {
            State = BoardState.Unknown;
            throw new DeviceUnreachableException($"device '{Name}' is not ready: {e.Message}", e);
        }
        catch (PowerException e)
        {
            State = BoardState.Unknown;
            throw new DeviceUnreachableException($"device '{Name}' could not be powered on: {e.Message}", e);
        }
        catch (Exception)
        {
            State = BoardState.Unknown;
            throw;
        }
    }

    private async Task OffAsync(CancellationToken cancellationToken)
    {
        if (Power is null)
        {
            throw new InvalidOperationException(
                $"device '{Name}' has no power control, so it cannot be switched off: add a `power` section to its entry in devices.yml");
        }

        try
        {
            await Power.OffAsync(cancellationToken).ConfigureAwait(false);
            State = BoardState.Off;
        }
        catch (PowerException e)
        {
            State = BoardState.Unknown;
            throw new DeviceUnreachableException($"device '{Name}' could not be switched off: {e.Message}", e);
        }
        catch (Exception)
        {
            State = BoardState.Unknown;
            throw;
        }
    }

    private async Task<DeviceLostException> PowerCycleAsync(IBoardPower power, DeviceLostException lost, CancellationToken cancellationToken)
    {
        var cause = BootText.StripLost(lost.Message);
        var clock = Deadline.Start(_time, Timeout.InfiniteTimeSpan);
        string action;
        try
        {
            action = await power.CycleAsync(cancellationToken).ConfigureAwait(false);
            State = BoardState.Booting;
            await _side.ResetCommandsAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is PowerException or DeviceUnreachableException or QmpException or IOException or InvalidOperationException)
        {
            return new DeviceLostException($"device lost: {cause}; power-cycling device '{Name}' failed: {e.Message}", lost);
        }

        try
        {
            await _side.WaitForShellAsync(PowerOnResult.BootStarted, _timeouts.BootTimeout, cancellationToken).ConfigureAwait(false);
            State = BoardState.Shell;
            return new DeviceLostException(
                BootText.Invariant($"device lost: {cause}; power-cycled ({action}) and the device was back after {clock.Elapsed.TotalSeconds:0.0} s"), lost);
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or TimeoutException)
        {
            State = BoardState.Unknown;
            return new DeviceLostException(
                BootText.Invariant($"device lost: {cause}; power-cycled ({action}) but the device did not come back within {_timeouts.BootTimeout.TotalSeconds:0} s: {BootText.StripLost(e.Message)}"),
                lost);
        }
    }

    /// <summary>Without power: reconnect (new SSH connection, console reopened) and report whether that worked.</summary>
    private async Task<DeviceLostException> ReconnectAsync(DeviceLostException lost, CancellationToken cancellationToken)
    {
        var cause = BootText.StripLost(lost.Message);
        var clock = Deadline.Start(_time, Timeout.InfiniteTimeSpan);
        await _side.ResetCommandsAsync().ConfigureAwait(false);
        try
        {
            await _side.WaitForShellAsync(PowerOnResult.NothingSwitched, _timeouts.ReconnectTimeout, cancellationToken).ConfigureAwait(false);
            State = BoardState.Shell;
            return new DeviceLostException(
                BootText.Invariant($"device lost: {cause}; device '{Name}' answered again after {clock.Elapsed.TotalSeconds:0.0} s (reconnected; it has no power control to power-cycle it)"),
                lost);
        }
        catch (Exception e) when (e is DeviceUnreachableException or DeviceLostException or TimeoutException)
        {
            return new DeviceLostException(
                $"device lost: {cause}; device '{Name}' does not answer any more ({BootText.StripLost(e.Message)}) and has no power control " +
                "to power-cycle it: add a `power` section to its entry in devices.yml, or bring it back by hand",
                lost);
        }
    }
}
