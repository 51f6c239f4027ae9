using System.Threading.Channels;

namespace DeviceTest.Hardware.Qemu;

/// <summary>
/// The QMP events that arrive after <see cref="QmpClient.SubscribeEvents"/> was called, in order.
/// Subscribe before the command that causes an event so that the event cannot be missed.
/// </summary>
public sealed class QmpEventSubscription : IDisposable
{
    private readonly Channel<QmpEvent> _events = Channel.CreateUnbounded<QmpEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly Action<QmpEventSubscription> _onDispose;

    internal QmpEventSubscription(Action<QmpEventSubscription> onDispose) => _onDispose = onDispose;

    /// <summary>The next event; throws <see cref="IOException"/> when the QMP connection closed and none is left.</summary>
    public async ValueTask<QmpEvent> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _events.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new IOException("The QMP connection closed before the next event arrived.", e);
        }
    }

    /// <summary>Reads events until one named <paramref name="name"/> (e.g. <c>RESET</c>) arrives and returns it.</summary>
    public async Task<QmpEvent> WaitForAsync(string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            QmpEvent e;
            try
            {
                e = await _events.Reader.ReadAsync(cancellationToken);
            }
            catch (ChannelClosedException ex)
            {
                throw new IOException($"The QMP connection closed before QEMU sent the event {name}.", ex);
            }

            if (string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return e;
            }
        }
    }

    public void Dispose()
    {
        _events.Writer.TryComplete();
        _onDispose(this);
    }

    internal void Post(QmpEvent e) => _events.Writer.TryWrite(e);

    internal void Complete() => _events.Writer.TryComplete();
}
