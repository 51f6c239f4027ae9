using System.Buffers;
using System.Text;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// One command's stdout and stderr: keeps up to a limit of bytes of each and hands decoded text to the request's
/// observer as it arrives (one call at a time across both streams).
/// </summary>
internal sealed class OutputCapture
{
    private readonly Lock _observerGate = new();
    private readonly IOutputObserver? _observer;
    private readonly int _limit;
    private readonly Stream _stdout;
    private readonly Stream _stderr;

    public OutputCapture(IOutputObserver? observer, int limit)
    {
        _observer = observer;
        _limit = Math.Max(0, limit);
        _stdout = new Stream(this, OutputKind.Stdout);
        _stderr = new Stream(this, OutputKind.Stderr);
    }

    public bool Truncated => _stdout.Truncated || _stderr.Truncated;

    public Action<ReadOnlySpan<byte>> Stdout => _stdout.Write;

    public Action<ReadOnlySpan<byte>> Stderr => _stderr.Write;

    public string StdoutText => _stdout.Text;

    public string StderrText => _stderr.Text;

    /// <summary>Flushes partial characters held by the decoders to the observer.</summary>
    public void Complete()
    {
        _stdout.Complete();
        _stderr.Complete();
    }

    private sealed class Stream(OutputCapture owner, OutputKind kind)
    {
        private readonly ArrayBufferWriter<byte> _kept = new();
        private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
        private char[] _chars = [];

        public bool Truncated { get; private set; }

        public string Text => Encoding.UTF8.GetString(_kept.WrittenSpan);

        public void Write(ReadOnlySpan<byte> bytes)
        {
            var room = owner._limit - _kept.WrittenCount;
            if (bytes.Length > room)
            {
                Truncated = true;
            }

            if (room > 0)
            {
                _kept.Write(bytes[..Math.Min(room, bytes.Length)]);
            }

            if (owner._observer is { } observer)
            {
                Decode(observer, bytes, flush: false);
            }
        }

        public void Complete()
        {
            if (owner._observer is { } observer)
            {
                Decode(observer, [], flush: true);
            }
        }

        private void Decode(IOutputObserver observer, ReadOnlySpan<byte> bytes, bool flush)
        {
            var needed = _decoder.GetCharCount(bytes, flush);
            if (needed == 0)
            {
                return;
            }

            if (_chars.Length < needed)
            {
                _chars = new char[Math.Max(needed, 4096)];
            }

            var count = _decoder.GetChars(bytes, _chars, flush);
            lock (owner._observerGate)
            {
                observer.OnOutput(kind, _chars.AsSpan(0, count));
            }
        }
    }
}
