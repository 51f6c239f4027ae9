using DeviceTest.Hardware.Consoles;
using DeviceTest.Hardware.Power;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Boards;

/// <summary>
/// The boot strategy of a QEMU board's machine, and the power of its board strategy (<see cref="IBoardPower"/>: a
/// QEMU board is a <see cref="ConsoleShellStrategy"/> or an <see cref="SshWithConsoleStrategy"/> with QEMU as its
/// power, so QEMU combines with either command transport without a strategy for each pair):
/// <list type="bullet">
/// <item>on: QEMU is started with the guest paused, its console connected, then the guest runs: the console (and its
/// log) has the whole boot;</item>
/// <item>off: QEMU is stopped (QMP <c>quit</c>), so the disk image can be written while it does not run;</item>
/// <item>power cycle: a QEMU that died is started again; otherwise QMP <c>system_reset</c>, or the board's own
/// <c>power</c> section when it has one.</item>
/// </list>
/// States: <see cref="QemuState"/>.
/// </summary>
public sealed class QemuStrategy : IBoardPower
{
    private const string Restarted = "QEMU was not running any more; started it again";

    private readonly IQemuMachine _machine;
    private readonly IDeviceConsole _console;
    private readonly IPower? _switch;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _paused;

    /// <param name="machine">The QEMU machine, started paused (<see cref="QemuMachineOptions.StartPaused"/>). The strategy stops and disposes it.</param>
    /// <param name="console">The console on QEMU's serial port (the board strategy owns it).</param>
    /// <param name="powerSection">The board's <c>power</c> section when it has one: it then power-cycles instead of QMP.</param>
    /// <param name="time">The clock (a fake one in tests); null: the system's.</param>
    public QemuStrategy(IQemuMachine machine, IDeviceConsole console, IPower? powerSection = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(console);
        _machine = machine;
        _console = console;
        _switch = powerSection;
        _time = time ?? TimeProvider.System;
        Power = powerSection ?? new QmpPower(machine);
    }

    /// <summary>Where QEMU is; a QEMU that died is <see cref="QemuState.Off"/>.</summary>
    public QemuState State => !_machine.IsRunning ? QemuState.Off : _paused ? QemuState.Paused : QemuState.Running;

    /// <summary>The board's <c>power</c> section, else QMP.</summary>
    public IPower Power { get; }

    /// <summary>The machine.</summary>
    public IQemuMachine Machine => _machine;

    /// <summary>Brings QEMU to <paramref name="target"/> step by step (see <see cref="QemuState"/>).</summary>
    /// <exception cref="DeviceUnreachableException">QEMU could not be started; the message says why.</exception>
    public async Task TransitionAsync(QemuState target, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await TransitionCoreAsync(target, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts QEMU (paused, console, run) when it does not run; a QEMU that runs stays as it is.</summary>
    public async Task<PowerOnResult> OnAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (State == QemuState.Running)
            {
                return PowerOnResult.NothingSwitched;
            }

            var result = State == QemuState.Off ? PowerOnResult.BootStarted : PowerOnResult.SwitchedOn;
            await TransitionCoreAsync(QemuState.Running, cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops QEMU.</summary>
    public Task OffAsync(CancellationToken cancellationToken) => TransitionAsync(QemuState.Off, cancellationToken);

    /// <summary>Starts a QEMU that died, else resets the guest (the <c>power</c> section, or QMP <c>system_reset</c>).</summary>
    public async Task<string> CycleAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_machine.IsRunning)
            {
                // A console that closed usually means QEMU itself died: give the process a moment to be reaped, so that
                // a dead QEMU is started again rather than sent a system_reset it can no longer answer.
                await WaitBrieflyForExitAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!_machine.IsRunning)
            {
                await TransitionCoreAsync(QemuState.Running, cancellationToken).ConfigureAwait(false);
                return Restarted;
            }

            if (_switch is not null)
            {
                await _switch.CycleAsync(cancellationToken).ConfigureAwait(false);
                return _switch.Description;
            }

            try
            {
                await _machine.ResetAsync(cancellationToken).ConfigureAwait(false);
                await _machine.ResumeAsync(cancellationToken).ConfigureAwait(false);
                _paused = false;
                return "qmp system_reset";
            }
            catch (Exception e) when (e is QmpException or IOException)
            {
                // QEMU exited while we asked it to reset: start it again instead.
                await WaitBrieflyForExitAsync(cancellationToken).ConfigureAwait(false);
                if (_machine.IsRunning)
                {
                    throw;
                }

                await TransitionCoreAsync(QemuState.Running, cancellationToken).ConfigureAwait(false);
                return Restarted;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops QEMU and disposes the machine and the <c>power</c> section (the console belongs to the board strategy).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_switch is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }

        await _machine.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task TransitionCoreAsync(QemuState target, CancellationToken cancellationToken)
    {
        switch (target)
        {
            case QemuState.Off:
                await _machine.StopAsync(cancellationToken).ConfigureAwait(false);
                _paused = false;
                return;
            case QemuState.Paused when State == QemuState.Off:
                await StartPausedAsync(cancellationToken).ConfigureAwait(false);
                return;
            case QemuState.Paused when State == QemuState.Running:
                await _machine.PauseAsync(cancellationToken).ConfigureAwait(false);
                _paused = true;
                return;
            case QemuState.Running when State == QemuState.Off:
                await StartPausedAsync(cancellationToken).ConfigureAwait(false);
                await _machine.ResumeAsync(cancellationToken).ConfigureAwait(false);
                _paused = false;
                return;
            case QemuState.Running when State == QemuState.Paused:
                await _machine.ResumeAsync(cancellationToken).ConfigureAwait(false);
                _paused = false;
                return;
            case QemuState.Paused or QemuState.Running:
                return; // there already
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target, "not a QEMU state");
        }
    }

    /// <summary>Starts QEMU with the guest paused and connects the console before anything runs.</summary>
    private async Task StartPausedAsync(CancellationToken cancellationToken)
    {
        if (_console is SerialConsole serial)
        {
            // After QEMU died, let the console's reader notice the closed socket, so that it reconnects.
            for (var i = 0; i < 50 && serial.IsOpen; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
            }
        }

        await _machine.StartAsync(cancellationToken).ConfigureAwait(false);
        _paused = true;
        await _console.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitBrieflyForExitAsync(CancellationToken cancellationToken)
    {
        using var settle = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, settle.Token);
        try
        {
            await _machine.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Still running: it is hung, not gone.
        }
    }
}
