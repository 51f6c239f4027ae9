namespace DeviceTest.Hardware;

/// <summary>A console's full log: every line read, with the time it ended. Thread-safe.</summary>
public sealed class ConsoleLog
{
    private readonly Lock _gate = new();
    private readonly List<ConsoleLogLine> _lines = [];
    private readonly System.Text.StringBuilder _partial = new();

    public IReadOnlyList<ConsoleLogLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Appends raw text as it was read (lines end at '\n').</summary>
    public void Append(string text, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            foreach (var c in text)
            {
                if (c == '\n')
                {
                    _lines.Add(new ConsoleLogLine(at, _partial.ToString().TrimEnd('\r')));
                    _partial.Clear();
                }
                else
                {
                    _partial.Append(c);
                }
            }
        }
    }

    /// <summary>Writes the log as text, one "[seconds since first line] line" per line.</summary>
    public async Task WriteToAsync(TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var lines = Lines;
        var start = lines.Count > 0 ? lines[0].Time : DateTimeOffset.UtcNow;
        foreach (var line in lines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteLineAsync($"[{(line.Time - start).TotalSeconds,10:F3}] {line.Text}");
        }
    }
}
