namespace DeviceTest.Hardware.Qemu;

/// <summary>
/// What the QEMU boot strategy (<see cref="Boards.QemuStrategy"/>) and <see cref="Power.QmpPower"/> need of a QEMU
/// board: start it (paused, when its options say so), stop it, pause, resume and reset the guest, and whether QEMU runs.
/// <see cref="QemuMachine"/> is the real one; tests use a fake.
/// </summary>
public interface IQemuMachine : IAsyncDisposable
{
    /// <summary>The device's name, used in messages.</summary>
    string Name { get; }

    /// <summary>True while the QEMU process runs (the guest may be paused).</summary>
    bool IsRunning { get; }

    /// <summary>Starts QEMU (nothing when it runs) and connects QMP.</summary>
    /// <exception cref="DeviceUnreachableException">QEMU could not be started; the message says why.</exception>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops QEMU (QMP <c>quit</c>, a kill when it does not exit); its disk overlay goes with it.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Waits until the QEMU process exits.</summary>
    Task WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>Freezes the guest (QMP <c>stop</c>); QEMU, its console endpoint and port forwards stay.</summary>
    Task PauseAsync(CancellationToken cancellationToken);

    /// <summary>Lets a paused guest run (QMP <c>cont</c>); nothing when it runs.</summary>
    Task ResumeAsync(CancellationToken cancellationToken);

    /// <summary>Resets the guest as a reset button would (QMP <c>system_reset</c>).</summary>
    Task ResetAsync(CancellationToken cancellationToken);
}
