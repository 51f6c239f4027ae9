namespace DeviceTest.Hardware;

/// <summary>
/// A device under test. Every capability beyond shell commands and files is optional:
/// <see cref="Console"/>, <see cref="Power"/>, <see cref="Screen"/>, <see cref="Keyboard"/> and <see cref="Network"/> are
/// null when the device's configuration has none.
/// </summary>
public interface IDevice : IAsyncDisposable
{
    /// <summary>The device's name in devices.yml (or <c>local</c>).</summary>
    string Name { get; }

    /// <summary>Tags from devices.yml, used by <c>requires: { tags: [...] }</c>.</summary>
    IReadOnlyList<string> Tags { get; }

    /// <summary>The transports this device uses, for display (e.g. "ssh root@host:22", "serial /dev/ttyUSB0").</summary>
    IReadOnlyList<string> Transports { get; }

    /// <summary>The device's file transfer.</summary>
    IFileTransfer Files { get; }

    /// <summary>The console (serial, ser2net, QEMU serial), or null.</summary>
    IDeviceConsole? Console { get; }

    /// <summary>Power control (command, pdudaemon, QMP), or null.</summary>
    IPower? Power { get; }

    /// <summary>The display (QEMU's screendump, a capture command), or null when the device has none.</summary>
    IScreen? Screen => null;

    /// <summary>A keyboard attached to the device (QEMU's, a key command), or null.</summary>
    IKeyboard? Keyboard => null;

    /// <summary>Control of the device's network cable (QEMU's set_link, a command pair), or null.</summary>
    INetworkLink? Network => null;

    /// <summary>Writes an OS image onto the device (devices.yml <c>flash</c>, or a QEMU board's <c>qemu.disk</c>), or null (docs/flash.md).</summary>
    Flashing.IDeviceFlash? Flash => null;

    /// <summary>
    /// Runs a command on the device. A non-zero exit code is not an error; a timeout is reported in
    /// <see cref="CommandResult.TimedOut"/> after the command's whole process group was killed.
    /// Cancellation kills the process group too and then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="DeviceUnreachableException">The device cannot be reached at all.</exception>
    /// <exception cref="DeviceLostException">The device stopped answering while the command ran.</exception>
    Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken);

    /// <summary>Brings the device from any state to "shell ready" (the boot strategy).</summary>
    Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Reboots the device: runs <paramref name="command"/> (or the device's own default), waits for it to go down
    /// and to come back through the boot strategy.
    /// </summary>
    Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken);
}
