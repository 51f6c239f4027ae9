namespace DeviceTest.Hardware;

/// <summary>Power control of a device (relay command, pdudaemon, QEMU's QMP).</summary>
public interface IPower
{
    /// <summary>A short description, e.g. "pdudaemon pdu1 port 3".</summary>
    string Description { get; }

    Task OnAsync(CancellationToken cancellationToken);

    Task OffAsync(CancellationToken cancellationToken);

    /// <summary>Off, a pause, then on (or the backend's own cycle).</summary>
    Task CycleAsync(CancellationToken cancellationToken);
}
