using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Flashing.Sequences;
using DeviceTest.Hardware.Flashing.Writers;
using DeviceTest.Hardware.Local;

namespace DeviceTest.Hardware.Flashing;

/// <summary>Picks a device's flash from its devices.yml entry: <c>flash.disk</c>, <c>flash.command</c> or <c>qemu.disk</c>.</summary>
internal static class DeviceFlashFactory
{
    /// <summary>The flash for <paramref name="config"/>, or null when it has none.</summary>
    /// <param name="config">The device entry.</param>
    /// <param name="strategy">Its board's boot strategy; null for a flashing station.</param>
    public static IDeviceFlash? Create(DeviceConfig config, IBootStrategy? strategy)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Flash is { Disk: not null } medium)
        {
            IMediumWriter writer = config.Lab is { } lab ? new LabMediumWriter(config.Name, lab, config.BaseDirectory) : new LocalMediumWriter();
            return new DisposingFlash(new MediumFlash(config.Name, medium, strategy, writer), writer as IAsyncDisposable);
        }

        if (config.Flash is { Command: not null } vendor)
        {
            return new CommandFlash(config.Name, vendor, strategy, new LocalDevice());
        }

        if (config.Qemu is { Disk: { } disk } && strategy is not null)
        {
            return new QemuDiskFlash(config.Name, Path.GetFullPath(disk, config.BaseDirectory), strategy);
        }

        return null;
    }

    /// <summary>A flash that owns something to dispose (the lab host's SSH connection).</summary>
    private sealed class DisposingFlash(IDeviceFlash inner, IAsyncDisposable? owned) : IDeviceFlash, IAsyncDisposable
    {
        public string Description => inner.Description;

        public Task<FlashOutcome> FlashAsync(string image, FlashOptions? options, IProgress<FlashProgress>? progress, CancellationToken cancellationToken) =>
            inner.FlashAsync(image, options, progress, cancellationToken);

        public ValueTask DisposeAsync() => owned?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
