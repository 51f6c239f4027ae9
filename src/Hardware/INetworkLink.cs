namespace DeviceTest.Hardware;

/// <summary>
/// The device's network cable: QEMU's <c>set_link</c> on its NIC, or a command pair (a managed switch port, an
/// <c>ip link</c> on the lab host). <see cref="NetworkLinkExtensions"/> gives a cut that is always put back.
/// </summary>
public interface INetworkLink
{
    /// <summary>A short description, e.g. "QEMU set_link net0".</summary>
    string Description { get; }

    /// <summary>The state this object last set: true up, false down, null never set (the device's own state).</summary>
    bool? IsUp { get; }

    /// <summary>Plugs (<paramref name="up"/> true) or unplugs the cable.</summary>
    /// <exception cref="Networking.NetworkLinkException">The link could not be set (the command failed or hung, QEMU refused).</exception>
    Task SetLinkAsync(bool up, CancellationToken cancellationToken);
}
