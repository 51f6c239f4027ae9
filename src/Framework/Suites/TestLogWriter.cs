using System.Text;

namespace DeviceTest.Framework.Suites;

/// <summary>
/// The <see cref="TextWriter"/> a suite can take in its constructor: what it writes is kept as the output of the
/// test that is running. Thread-safe; output beyond the limit is cut with a note.
/// </summary>
internal sealed class TestLogWriter(int maxChars) : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private bool _truncated;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (Room() >= 1)
            {
                _text.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            var room = Room();
            _text.Append(value, 0, Math.Min(room, value.Length));
            _truncated |= value.Length > room;
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write((value ?? string.Empty) + NewLine);

    /// <summary>Returns what was written since the last call and starts afresh.</summary>
    public string Take()
    {
        lock (_gate)
        {
            var text = _text.ToString();
            if (_truncated)
            {
                text += $"{Environment.NewLine}[output cut after {maxChars} characters]{Environment.NewLine}";
            }

            _text.Clear();
            _truncated = false;
            return text;
        }
    }

    private int Room()
    {
        var room = maxChars - _text.Length;
        if (room <= 0)
        {
            _truncated = true;
            return 0;
        }

        return room;
    }
}
