namespace DeviceTest.Hardware.Networking;

/// <summary>
/// A network link that was taken down and comes back up when this is disposed, whatever happened meanwhile: a failed
/// test, a cancelled run. Bringing it up has its own time limit (<see cref="RestoreTimeout"/>), not the test's token.
/// </summary>
public sealed class NetworkCut : IAsyncDisposable
{
    /// <summary>How long putting the link back may take.</summary>
    public static readonly TimeSpan RestoreTimeout = TimeSpan.FromSeconds(30);

    private readonly INetworkLink _link;
    private int _restored;

    internal NetworkCut(INetworkLink link)
    {
        _link = link;
    }

    /// <summary>Brings the link up (once).</summary>
    /// <exception cref="NetworkLinkException">The link could not be brought back up.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _restored, 1) != 0)
        {
            return;
        }

        using var bounded = new CancellationTokenSource(RestoreTimeout);
        try
        {
            await _link.SetLinkAsync(true, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (bounded.IsCancellationRequested)
        {
            throw new NetworkLinkException($"{_link.Description}: the link did not come back up within {RestoreTimeout.TotalSeconds:0} s", e);
        }
    }
}
