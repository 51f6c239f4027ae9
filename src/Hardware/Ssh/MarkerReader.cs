namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// Reads a byte stream and splits it at marker byte sequences. Bytes before a marker go to a callback as they
/// arrive (only the last few bytes that could start a marker are held back), so any amount of output, binary or
/// not, flows through in bounded memory and never wedges the reader.
/// </summary>
internal sealed class MarkerReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    public MarkerReader(Stream stream) => _stream = stream;

    public bool EndOfStream => _eof && _start == _end;

    /// <summary>
    /// Reads until one of <paramref name="markers"/>; passes the bytes before it to <paramref name="onData"/> (null:
    /// discard) and consumes the marker. Returns the index of the marker found, or -1 at the end of the stream.
    /// </summary>
    public async Task<int> ReadUntilAsync(byte[][] markers, Action<ReadOnlySpan<byte>>? onData)
    {
        while (true)
        {
            var found = -1;
            var foundAt = int.MaxValue;
            var window = _buffer.AsSpan(_start, _end - _start);
            for (var i = 0; i < markers.Length; i++)
            {
                var at = window.IndexOf(markers[i]);
                if (at >= 0 && at < foundAt)
                {
                    found = i;
                    foundAt = at;
                }
            }

            if (found >= 0)
            {
                if (foundAt > 0)
                {
                    onData?.Invoke(window[..foundAt]);
                }

                _start += foundAt + markers[found].Length;
                return found;
            }

            // No marker yet: pass on all but a tail that could be the start of one (so that a short line is not held
            // back until more output comes).
            var keep = _eof ? 0 : PossibleStart(window, markers);
            var emit = window.Length - keep;
            if (emit > 0)
            {
                onData?.Invoke(window[..emit]);
                _start += emit;
            }

            if (_eof)
            {
                return -1;
            }

            await FillAsync();
        }
    }

    /// <summary>Reads the rest of a marker line (up to '\n', at most 4 KiB: a work directory's path rides on it), or null at the end of the stream.</summary>
    public async Task<string?> ReadLineAsync()
    {
        while (true)
        {
            var window = _buffer.AsSpan(_start, _end - _start);
            var newline = window.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = System.Text.Encoding.UTF8.GetString(window[..newline]);
                _start += newline + 1;
                return line;
            }

            if (_eof || window.Length > 4096)
            {
                return null;
            }

            await FillAsync();
        }
    }

    /// <summary>The length of the longest end of <paramref name="window"/> that is the start of a marker.</summary>
    private static int PossibleStart(ReadOnlySpan<byte> window, byte[][] markers)
    {
        var keep = 0;
        foreach (var marker in markers)
        {
            keep = Math.Max(keep, MarkerTail.Length<byte>(window, marker));
        }

        return keep;
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end));
        if (read == 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
        }
    }
}
