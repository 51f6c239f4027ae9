using DeviceTest.Hardware.Lab;
using DeviceTest.Hardware.Local;

namespace DeviceTest.Hardware.Flashing;

/// <summary>
/// A device with only a <c>flash</c> section: a flashing station (an SD-mux and a card, no board to talk to). It is
/// flashed and stops after switching the mux back; its commands run on this machine, where the mux hangs.
/// </summary>
public sealed class FlashStation : IDevice
{
    private readonly LocalDevice _local;
    private readonly LabConnection? _lab;

    /// <param name="name">The station's name.</param>
    /// <param name="tags">Its tags.</param>
    /// <param name="flash">How its medium is written.</param>
    /// <param name="lab">The connection to the lab host its flash writes through, or null; the station disposes it after the flash.</param>
    public FlashStation(string name, IReadOnlyList<string> tags, IDeviceFlash flash, LabConnection? lab = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(flash);
        Name = name;
        _local = new LocalDevice(tags);
        Flash = flash;
        _lab = lab;
        Transports = ["flash " + flash.Description];
    }

    public string Name { get; }

    public IReadOnlyList<string> Tags => _local.Tags;

    public IReadOnlyList<string> Transports { get; }

    public IFileTransfer Files => _local.Files;

    public IDeviceConsole? Console => null;

    public IPower? Power => null;

    public IDeviceFlash Flash { get; }

    public Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken) => _local.RunAsync(request, cancellationToken);

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) => _local.EnsureReadyAsync(timeout, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _local.RebootAsync(command, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Flash is IAsyncDisposable flash)
        {
            await flash.DisposeAsync().ConfigureAwait(false);
        }

        if (_lab is not null)
        {
            await _lab.DisposeAsync().ConfigureAwait(false);
        }

        await _local.DisposeAsync().ConfigureAwait(false);
    }
}
