using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Lab;

namespace DeviceTest.Hardware.Networking;

/// <summary>
/// The cable through a command pair on the lab host or this machine: a managed switch's port off and on, an
/// <c>ip link set ... down/up</c> of the lab host's interface the device hangs off.
/// </summary>
public sealed class CommandNetworkLink : INetworkLink
{
    private readonly LabHost _lab;
    private readonly NetworkConfig _config;

    public CommandNetworkLink(LabHost lab, NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(config);
        _lab = lab;
        _config = config;
    }

    public string Description => "network commands on " + _lab.Where;

    public bool? IsUp { get; private set; }

    public async Task SetLinkAsync(bool up, CancellationToken cancellationToken)
    {
        var command = up ? _config.Up : _config.Down;
        await _lab.RunAsync(up ? "network up command" : "network down command", command, command, _config.Timeout, Fail, cancellationToken).ConfigureAwait(false);
        IsUp = up;
    }

    private static NetworkLinkException Fail(string message, Exception? inner) => inner is null ? new(message) : new(message, inner);
}
