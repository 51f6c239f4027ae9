using System.Globalization;
using System.Text;

namespace DeviceTest.Hardware.Consoles;

/// <summary>
/// The text a <see cref="SerialConsole"/> has read, as matching sees it: ANSI escapes and carriage returns removed
/// (<see cref="ConsoleTextFilter"/>), bounded to <see cref="MaxChars"/> characters of text no match has consumed yet,
/// with the last text seen kept for messages (<see cref="Tail"/>) and why the console closed, if it did. Every change
/// completes the task <see cref="Look"/> handed out, so a waiting expect wakes up. Thread-safe.
/// </summary>
internal sealed class ConsoleMatchBuffer
{
    private const int TailLength = 200;

    private readonly Lock _gate = new();
    private readonly StringBuilder _buffer = new();
    private readonly StringBuilder _recent = new();
    private readonly ConsoleTextFilter _filter = new();
    private readonly StringBuilder _filtered = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bufferStart;
    private long _version;
    private string? _closedReason;

    /// <summary>How many characters of unmatched text are kept; older text is dropped.</summary>
    public int MaxChars { get; set; } = 1024 * 1024;

    /// <summary>Unmatched text dropped so far because the buffer was full (a position in the text stream).</summary>
    public long DiscardedChars
    {
        get
        {
            lock (_gate)
            {
                return _bufferStart;
            }
        }
    }

    /// <summary>Why the console closed (the other side, an error); null while it is open.</summary>
    public string? ClosedReason
    {
        get
        {
            lock (_gate)
            {
                return _closedReason;
            }
        }
    }

    /// <summary>A new transport is open: the console is no longer closed.</summary>
    public void Reopened()
    {
        lock (_gate)
        {
            _closedReason = null;
        }
    }

    /// <summary>Text read from the console: filtered, appended, and the waiting expect woken.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _filtered.Clear();
            _filter.Filter(text, _filtered);
            foreach (var chunk in _filtered.GetChunks())
            {
                _buffer.Append(chunk.Span);
                _recent.Append(chunk.Span);
            }

            if (_buffer.Length > MaxChars)
            {
                var drop = _buffer.Length - MaxChars;
                _buffer.Remove(0, drop);
                _bufferStart += drop;
            }

            if (_recent.Length > 4 * TailLength)
            {
                _recent.Remove(0, _recent.Length - TailLength);
            }

            _version++;
            changed = Renew();
        }

        changed.TrySetResult();
    }

    /// <summary>The console closed for <paramref name="reason"/> (the first reason stays); the waiting expect wakes up.</summary>
    public void Close(string reason)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _closedReason ??= reason;
            changed = Renew();
        }

        changed.TrySetResult();
    }

    /// <summary>
    /// What an expect needs to go on: the unmatched text and where it starts, when it changed since
    /// <paramref name="seenVersion"/> (else null, and the text is not copied); why the console closed; and a task that
    /// completes at the next change.
    /// </summary>
    public (string? Text, long Start, string? Closed, Task Changed) Look(ref long seenVersion)
    {
        lock (_gate)
        {
            string? text = null;
            if (_version != seenVersion)
            {
                seenVersion = _version;
                text = _buffer.ToString();
            }

            return (text, _bufferStart, _closedReason, _changed.Task);
        }
    }

    /// <summary>Drops the unmatched text up to <paramref name="end"/> (a position in the text stream): a match consumed it.</summary>
    public void Consume(long end)
    {
        lock (_gate)
        {
            var count = (int)Math.Min(Math.Max(0, end - _bufferStart), _buffer.Length);
            _buffer.Remove(0, count);
            _bufferStart += count;
        }
    }

    /// <summary>The last text seen (up to 200 characters), escaped and quoted, for error messages.</summary>
    public string Tail()
    {
        string recent;
        lock (_gate)
        {
            recent = _recent.ToString();
        }

        return Escape(recent.Length > TailLength ? recent[^TailLength..] : recent);
    }

    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                default:
                    if (char.IsControl(c) || c == '\uFFFD' || char.IsSurrogate(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Hands out a new change task and returns the old one, to complete outside the lock.</summary>
    private TaskCompletionSource Renew()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return changed;
    }
}
