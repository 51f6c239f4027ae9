namespace DeviceTest.Hardware.Boards;

/// <summary>
/// How a boot strategy switches its board on, off and through a power cycle: a power switch
/// (<see cref="PowerSwitch"/>) or a QEMU process (<see cref="QemuStrategy"/>). This is how a QEMU board combines with
/// either command transport: its strategy is the console shell's or SSH's, with QEMU as the power.
/// </summary>
public interface IBoardPower : IAsyncDisposable
{
    /// <summary>The power control the device shows users (<see cref="IDevice.Power"/>).</summary>
    IPower Power { get; }

    /// <summary>Makes sure the board is on: switches a switch on once (or again after an off), starts a QEMU that does not run.</summary>
    Task<PowerOnResult> OnAsync(CancellationToken cancellationToken);

    /// <summary>Switches the board off (power off; QEMU stopped).</summary>
    Task OffAsync(CancellationToken cancellationToken);

    /// <summary>Power-cycles the board to recover it; returns what was done, for the message ("qmp system_reset", ...).</summary>
    Task<string> CycleAsync(CancellationToken cancellationToken);
}
