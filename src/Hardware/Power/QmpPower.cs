using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Power;

/// <summary>
/// Power of a QEMU board through QMP, as <see cref="IDevice.Power"/> shows it. The QEMU process stays up while the
/// board is "off", so its serial console endpoint and port forwards stay the same for the whole run:
/// <list type="bullet">
/// <item>off: QMP <c>stop</c> (the guest freezes: no console output, no network answers);</item>
/// <item>on: starts QEMU when it does not run; after an off it is <c>system_reset</c> + <c>cont</c>, so the board
/// boots from scratch as after a real power-on; a board that runs stays as it is;</item>
/// <item>cycle: <c>system_reset</c> (+ <c>cont</c> when stopped), or a start when QEMU does not run.</item>
/// </list>
/// The boot strategy's own "off" (<see cref="Boards.QemuStrategy"/>) stops the QEMU process instead, so that its disk
/// can be written.
/// </summary>
public sealed class QmpPower : IPower
{
    private readonly IQemuMachine _machine;
    private bool _off;

    public QmpPower(IQemuMachine machine)
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
            await _machine.ResumeAsync(cancellationToken);
            return;
        }

        if (_off)
        {
            await _machine.ResetAsync(cancellationToken);
            _off = false;
        }

        await _machine.ResumeAsync(cancellationToken);
    }

    public async Task OffAsync(CancellationToken cancellationToken)
    {
        if (!_machine.IsRunning)
        {
            return;
        }

        await _machine.PauseAsync(cancellationToken);
        _off = true;
    }

    public async Task CycleAsync(CancellationToken cancellationToken)
    {
        if (!_machine.IsRunning)
        {
            await OnAsync(cancellationToken);
            return;
        }

        await _machine.ResetAsync(cancellationToken);
        _off = false;
        await _machine.ResumeAsync(cancellationToken);
    }
}
