using System.Buffers;
using System.Text;

namespace DeviceTest.Hardware.Local;

/// <summary>
/// Reads one output stream of a process to its end: decodes it as UTF-8 (invalid bytes become U+FFFD), hands the
/// text to the shared observer as it arrives and keeps up to a byte limit of it.
/// </summary>
internal sealed class OutputPump
{
    private const int BufferSize = 64 * 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Stream _stream;
    private readonly OutputKind _kind;
    private readonly int _maxCapturedBytes;
    private readonly Action<OutputKind, ReadOnlySpan<char>> _deliver;
    private readonly ArrayBufferWriter<byte> _captured = new();

    public OutputPump(Stream stream, OutputKind kind, int maxCapturedBytes, Action<OutputKind, ReadOnlySpan<char>> deliver)
    {
        _stream = stream;
        _kind = kind;
        _maxCapturedBytes = Math.Max(0, maxCapturedBytes);
        _deliver = deliver;
    }

    public bool Truncated { get; private set; }

    /// <summary>The kept output, decoded.</summary>
    public string Text => Utf8.GetString(_captured.WrittenSpan);

    /// <summary>Reads until end of stream, or until <paramref name="cancellationToken"/> (then returns quietly).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var decoder = Utf8.GetDecoder();
        var bytes = ArrayPool<byte>.Shared.Rent(BufferSize);
        var chars = ArrayPool<char>.Shared.Rent(Utf8.GetMaxCharCount(BufferSize));
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await _stream.ReadAsync(bytes.AsMemory(0, BufferSize), cancellationToken);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                Capture(bytes.AsSpan(0, read));
                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                if (count > 0)
                {
                    _deliver(_kind, chars.AsSpan(0, count));
                }
            }

            var last = decoder.GetChars([], 0, 0, chars, 0, flush: true);
            if (last > 0)
            {
                _deliver(_kind, chars.AsSpan(0, last));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private void Capture(ReadOnlySpan<byte> data)
    {
        var room = _maxCapturedBytes - _captured.WrittenCount;
        var keep = Math.Min(room, data.Length);
        if (keep > 0)
        {
            _captured.Write(data[..keep]);
        }

        if (keep < data.Length)
        {
            Truncated = true;
        }
    }
}
