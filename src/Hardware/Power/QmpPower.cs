using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Power;

/// <summary>
/// Power of a QEMU board through QMP. The QEMU process stays up while the board is "off", so its serial console
/// endpoint and port forwards stay the same for the whole run:
/// <list type="bullet">
/// <item>off: QMP <c>stop</c> (the guest freezes: no console output, no network answers);</item>
/// <item>on: starts QEMU when it does not run; after an off it is <c>system_reset</c> + <c>cont</c>, so the board
/// boots from scratch as after a real power-on; a board that runs stays as it is;</item>
/// <item>cycle: <c>system_reset</c> (+ <c>cont</c> when stopped), or a start when QEMU does not run.</item>
/// </list>
/// </summary>
public sealed class QmpPower : IPower
{
    private readonly QemuMachine _machine;
    private bool _off;

    public QmpPower(QemuMachine machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        _machine = machine;
    }

    public string Description => $"QEMU QMP ({_machine.Name})";

    public async Task OnAsync(CancellationToken cancellationToken)
    {
        if (!_machine.IsRunning)
        {
            _off = false;
            await _machine.StartAsync(cancellationToken);
            await ContinueIfPausedAsync(cancellationToken);
            return;
        }

        if (_off)
        {
            await _machine.Qmp.SystemResetAsync(cancellationToken);
            _off = false;
        }

        await ContinueIfPausedAsync(cancellationToken);
    }

    public async Task OffAsync(CancellationToken cancellationToken)
    {
        if (!_machine.IsRunning)
        {
            return;
        }

        await _machine.Qmp.StopAsync(cancellationToken);
        _off = true;
    }

    public async Task CycleAsync(CancellationToken cancellationToken)
    {
        if (!_machine.IsRunning)
        {
            await OnAsync(cancellationToken);
            return;
        }

        await _machine.Qmp.SystemResetAsync(cancellationToken);
        _off = false;
        await ContinueIfPausedAsync(cancellationToken);
    }

    private async Task ContinueIfPausedAsync(CancellationToken cancellationToken)
    {
        var status = await _machine.Qmp.QueryStatusAsync(cancellationToken);
        if (!status.Running)
        {
            await _machine.Qmp.ContinueAsync(cancellationToken);
        }
    }
}
