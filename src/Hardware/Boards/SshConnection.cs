namespace DeviceTest.Hardware.Boards;

/// <summary>
/// The SSH command device of a board, shared by <see cref="SshStrategy"/> and <see cref="SshWithConsoleStrategy"/>:
/// replaced by a new one after every reset of the board (no connection of the old boot is reused), and waited for
/// with the right bound (the boot timeout while the board boots, the answer timeout when nothing was switched).
/// </summary>
internal sealed class SshConnection
{
    private readonly Func<IDevice> _connect;
    private readonly BootTimeouts _timeouts;
    private readonly TimeProvider _time;

    public SshConnection(Func<IDevice> connect, BootTimeouts timeouts, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connect);
        _connect = connect;
        _timeouts = timeouts;
        _time = time;
        Current = connect();
    }

    /// <summary>The device commands go to now.</summary>
    public IDevice Current { get; private set; }

    /// <summary>A board that is not booting gets <see cref="BootTimeouts.AnswerTimeout"/>; a booting one the boot timeout.</summary>
    public Task WaitForShellAsync(PowerOnResult boot, TimeSpan timeout, CancellationToken cancellationToken)
    {
        timeout = Deadline.Min(timeout, _timeouts.BootTimeout);
        if (boot == PowerOnResult.NothingSwitched)
        {
            timeout = Deadline.Min(timeout, _timeouts.AnswerTimeout);
        }

        return Current.EnsureReadyAsync(timeout, cancellationToken);
    }

    /// <summary>A new command device; the old one is closed, waiting at most 30 s for it.</summary>
    public async Task ResetAsync()
    {
        var old = Current;
        Current = _connect();
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
            await old.DisposeAsync().AsTask().WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The old connection is gone with the old boot; its processes die with it or with ControlPersist.
        }
    }
}
