using System.Text;
using System.Threading.Channels;
using DeviceTest.Hardware.Serial;

namespace DeviceTest.Hardware.Tests.Consoles;

/// <summary>An in-memory transport: the test feeds what the "device" says and reads what was written.</summary>
internal sealed class FakeTransport : IConsoleTransport
{
    private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>();
    private readonly MemoryStream _written = new();

    public string Description => "fake";

    public string Written
    {
        get
        {
            lock (_written)
            {
                return Encoding.UTF8.GetString(_written.ToArray());
            }
        }
    }

    public void Feed(byte[] bytes) => _incoming.Writer.TryWrite(bytes);

    public void Feed(string text) => Feed(Encoding.UTF8.GetBytes(text));

    public void Close() => _incoming.Writer.TryComplete();

    public Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (!await _incoming.Reader.WaitToReadAsync(cancellationToken))
        {
            return 0;
        }

        var chunk = await _incoming.Reader.ReadAsync(cancellationToken);
        if (chunk.Length > buffer.Length)
        {
            throw new InvalidOperationException("test chunks must fit the read buffer");
        }

        chunk.CopyTo(buffer);
        return chunk.Length;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        lock (_written)
        {
            _written.Write(data.Span);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        _written.Dispose();
        return ValueTask.CompletedTask;
    }
}
