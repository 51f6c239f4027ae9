using DeviceTest.Hardware.Networking;

namespace DeviceTest.Hardware;

/// <summary>Network cuts that are always put back: <c>await using (await device.Network.CutAsync(ct)) { ... }</c>.</summary>
public static class NetworkLinkExtensions
{
    /// <summary>Takes the link down; disposing the result brings it up again, also after a failure or a cancel.</summary>
    public static async Task<NetworkCut> CutAsync(this INetworkLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        var cut = new NetworkCut(link);
        try
        {
            await link.SetLinkAsync(false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A cancel or failure half-way may have taken it down all the same; the first error is the one to report.
            try
            {
                await cut.DisposeAsync().ConfigureAwait(false);
            }
            catch (NetworkLinkException)
            {
            }

            throw;
        }

        return cut;
    }

    /// <summary>
    /// Takes the link down for <paramref name="duration"/>, then up again; up again also when cancelled (then with a
    /// time limit of its own).
    /// </summary>
    public static async Task OfflineAsync(this INetworkLink link, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var cut = await link.CutAsync(cancellationToken).ConfigureAwait(false);
        await using (cut.ConfigureAwait(false))
        {
            await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
        }
    }
}
