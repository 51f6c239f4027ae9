using DeviceTest.Hardware.Power;

namespace DeviceTest.Hardware.Boards;

/// <summary>
/// A board's <c>power</c> section (relay commands, pdudaemon) as its boot strategy uses it: switched on once, at the
/// first bring-up (a relay that is on already stays on: nothing reboots), and again after an off.
/// </summary>
public sealed class PowerSwitch : IBoardPower
{
    private bool? _on;

    /// <param name="power">The switch; the strategy disposes it when it is <see cref="IAsyncDisposable"/>.</param>
    public PowerSwitch(IPower power)
    {
        ArgumentNullException.ThrowIfNull(power);
        Power = power;
    }

    public IPower Power { get; }

    /// <exception cref="PowerException">The switch did not do it.</exception>
    public async Task<PowerOnResult> OnAsync(CancellationToken cancellationToken)
    {
        if (_on == true)
        {
            return PowerOnResult.NothingSwitched;
        }

        var wasOff = _on == false;
        await Power.OnAsync(cancellationToken).ConfigureAwait(false);
        _on = true;
        return wasOff ? PowerOnResult.BootStarted : PowerOnResult.SwitchedOn;
    }

    public async Task OffAsync(CancellationToken cancellationToken)
    {
        _on = null;
        await Power.OffAsync(cancellationToken).ConfigureAwait(false);
        _on = false;
    }

    public async Task<string> CycleAsync(CancellationToken cancellationToken)
    {
        _on = null;
        await Power.CycleAsync(cancellationToken).ConfigureAwait(false);
        _on = true;
        return Power.Description;
    }

    public async ValueTask DisposeAsync()
    {
        if (Power is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }
}
