using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// Opens the run's device while the tests are still being discovered, so that its SSH connection (<c>ssh -G</c>, the
/// key exchange or the check of a shared master, the persistent shell) is made, or has failed, by the time the device
/// is leased, instead of starting only then. The session takes the opening (<see cref="Take"/>) where it would open the
/// device: the device, or the error that stopped it, reported there as before.
/// <para>
/// Only for a device whose opening is connecting and nothing else (<see cref="Fits"/>), and only until the lease on
/// it must be waited for (<see cref="Abandon"/>: another run holds it, so the opening is cancelled or its device closed
/// at once, and the device is opened anew once leased, as without a head start). An opening the session did not take
/// is cancelled, and its device closed, by the end of the run (<see cref="DisposeAsync"/>).
/// </para>
/// </summary>
internal sealed class DeviceHeadStart : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop;
    private readonly List<Task> _closing = [];
    private readonly string _deviceName;
    private Task<IDevice>? _opening;

    private DeviceHeadStart(string deviceName, CancellationTokenSource stop, Task<IDevice> opening)
    {
        _deviceName = deviceName;
        _stop = stop;
        _opening = opening;
    }

    /// <summary>
    /// True for a device reached over SSH alone (no console, QEMU or power): opening it connects and runs <c>true</c>
    /// in its shell; nothing is switched, booted or written.
    /// </summary>
    public static bool Fits(DeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Ssh is not null && config.Serial is null && config.Qemu is null && config.Power is null;
    }

    /// <summary>Starts opening <paramref name="config"/>; <paramref name="cancellationToken"/> is the run's.</summary>
    public static DeviceHeadStart Start(IDeviceProvider devices, DeviceConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(config);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // A thread of its own: the test host's thread pool is small (a thread per core) and busy discovering tests.
        var opening = Task.Factory.StartNew(
            () => devices.OpenAsync(config, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        return new DeviceHeadStart(config.Name, stop, opening);
    }

    /// <summary>
    /// The device opened ahead for <paramref name="deviceName"/> (waited for with <paramref name="cancellationToken"/>),
    /// once; null when there is none for it (another device, already taken, or abandoned).
    /// </summary>
    public Task<IDevice>? Take(string deviceName, CancellationToken cancellationToken)
    {
        Task<IDevice>? opening;
        lock (_gate)
        {
            if (_opening is null || !string.Equals(deviceName, _deviceName, StringComparison.Ordinal))
            {
                return null;
            }

            opening = _opening;
            _opening = null;
        }

        return WaitAsync(opening, cancellationToken);
    }

    /// <summary>The lease must be waited for: the opening is cancelled, or its device closed, now.</summary>
    public void Abandon()
    {
        Task<IDevice>? opening;
        lock (_gate)
        {
            opening = _opening;
            _opening = null;
        }

        if (opening is not null)
        {
            Drop(opening);
        }
    }

    /// <summary>Cancels an opening nobody took and closes its device; waits for every opening dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        Abandon();
        Task[] closing;
        lock (_gate)
        {
            closing = [.. _closing];
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>
    /// The opening's device, or its error. When the session stops waiting (its lease was lost, the run cancelled), the
    /// opening is dropped as if abandoned.
    /// </summary>
    private async Task<IDevice> WaitAsync(Task<IDevice> opening, CancellationToken cancellationToken)
    {
        try
        {
            return await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Drop(opening);
            throw;
        }
    }

    private void Drop(Task<IDevice> opening)
    {
        _stop.Cancel();
        var closing = CloseAsync(opening);
        lock (_gate)
        {
            _closing.Add(closing);
        }
    }

    private static async Task CloseAsync(Task<IDevice> opening)
    {
        IDevice device;
        try
        {
            device = await opening.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // An opening nobody uses: its failure (or cancellation) concerns no test.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        try
        {
            await device.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A device no test used: a failure to close it concerns no test either.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
