using System.Text.Json.Nodes;
using DeviceTest.Hardware.Qemu;

namespace DeviceTest.Hardware.Networking;

/// <summary>
/// The cable of a QEMU board's NIC through QMP <c>set_link</c>: the guest sees its carrier go (and
/// <c>/sys/class/net/eth0/carrier</c> turn 0), as when a real cable is pulled; the port forwards stay.
/// </summary>
public sealed class QmpNetworkLink : INetworkLink
{
    /// <summary>The id of the board's user-mode netdev (<c>-netdev user,id=net0</c>); set_link on it reaches its NIC.</summary>
    public const string NetdevId = "net0";

    private readonly QemuMachine _machine;

    public QmpNetworkLink(QemuMachine machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        _machine = machine;
    }

    public string Description => $"QEMU set_link {NetdevId} ({_machine.Name})";

    public bool? IsUp { get; private set; }

    public async Task SetLinkAsync(bool up, CancellationToken cancellationToken)
    {
        try
        {
            var qmp = _machine.IsRunning
                ? _machine.Qmp
                : throw new NetworkLinkException($"device '{_machine.Name}': QEMU is not running, so its link cannot be set; power the board on first");
            await qmp.ExecuteAsync("set_link", new JsonObject { ["name"] = NetdevId, ["up"] = up }, cancellationToken).ConfigureAwait(false);
            IsUp = up;
        }
        catch (Exception e) when (e is QmpException or IOException or InvalidOperationException)
        {
            throw new NetworkLinkException($"device '{_machine.Name}': QEMU could not set the link {(up ? "up" : "down")}: {e.Message}", e);
        }
    }
}
