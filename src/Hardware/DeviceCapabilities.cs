using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Keyboards;
using DeviceTest.Hardware.Lab;
using DeviceTest.Hardware.Networking;
using DeviceTest.Hardware.Qemu;
using DeviceTest.Hardware.Screens;

namespace DeviceTest.Hardware;

/// <summary>
/// A board's screen, keyboard and network link, from its <c>screen</c>, <c>keyboard</c>, <c>network</c> and
/// <c>lab</c> sections or, for a QEMU board, from QMP (a section wins over QMP). Their commands run over the device's
/// <see cref="LabConnection"/> (which the device owns: its flashing uses it too) or on this machine.
/// </summary>
public sealed class DeviceCapabilities : IAsyncDisposable
{
    private readonly LabHost? _lab;

    private DeviceCapabilities(LabHost? lab, IScreen? screen, IKeyboard? keyboard, INetworkLink? network)
    {
        _lab = lab;
        Screen = screen;
        Keyboard = keyboard;
        Network = network;
    }

    /// <summary>No screen, keyboard or network link.</summary>
    public static DeviceCapabilities None { get; } = new(null, null, null, null);

    public IScreen? Screen { get; }

    public IKeyboard? Keyboard { get; }

    public INetworkLink? Network { get; }

    /// <summary>What these are, for a device's list of transports ("screen QEMU screendump (qemu-x86)"...).</summary>
    public IEnumerable<string> Descriptions =>
        new[] { ("screen", Screen?.Description), ("keyboard", Keyboard?.Description), ("network", Network?.Description) }
            .Where(p => p.Item2 is not null)
            .Select(p => p.Item1 + " " + p.Item2);

    /// <summary>The capabilities <paramref name="config"/> asks for.</summary>
    /// <param name="config">The device entry.</param>
    /// <param name="machine">Its QEMU board, or null.</param>
    /// <param name="labConnection">Its connection to the lab host of its <c>lab</c> section (required with one; the
    /// caller disposes it after these capabilities), or null without one: the commands run on this machine.</param>
    /// <exception cref="ArgumentException">The entry has a <c>lab</c> section but no connection was given.</exception>
    public static DeviceCapabilities Create(DeviceConfig config, QemuMachine? machine, LabConnection? labConnection = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var needsLab = config.Screen is not null || config.Keyboard?.Command is not null || config.Network is not null;
        if (needsLab && config.Lab is not null && labConnection is null)
        {
            throw new ArgumentException($"device '{config.Name}' has a `lab` section: its screen, keyboard and network commands need its lab connection", nameof(labConnection));
        }

        var lab = needsLab ? new LabHost(config.Name, labConnection) : null;

        IScreen? screen = config.Screen is { } s ? new CommandScreen(lab!, s) : machine is not null ? new QemuScreen(machine) : null;

        var delay = config.Keyboard?.Delay ?? KeyboardConfig.DefaultDelay;
        IKeySender? sender = config.Keyboard is { Command: not null } k ? new CommandKeySender(lab!, k) : machine is not null ? new QmpKeySender(machine) : null;
        var keyboard = sender is null ? null : new Keyboard(sender, delay);

        // A QEMU board has a NIC only when it has port forwards (QemuCommandLine adds it with them).
        INetworkLink? network = config.Network is { } n ? new CommandNetworkLink(lab!, n)
            : machine is not null && machine.Config.Forwards.Count > 0 ? new QmpNetworkLink(machine)
            : null;
        return new DeviceCapabilities(lab, screen, keyboard, network);
    }

    public ValueTask DisposeAsync() => _lab?.DisposeAsync() ?? ValueTask.CompletedTask;
}
