using System.Text;
using DeviceTest.Hardware;

namespace DeviceTest.Framework.Running;

/// <summary>
/// Streams a test's combined output to its <c>console.log</c> as it comes and keeps only the last lines (for failure
/// details), so a test printing gigabytes costs a file, not memory.
/// </summary>
internal sealed class ConsoleLogWriter : IOutputObserver, IDisposable
{
    public const int TailLines = 20;
    private const int MaxLineLength = 2000;

    private readonly StreamWriter _writer;
    private readonly Queue<string> _tail = new();
    private readonly StringBuilder _partial = new();
    private bool _partialCut;

    public ConsoleLogWriter(string path)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        // Flushed at every piece of output, so console.log shows a test's lines while it runs (one write per piece the
        // device's transport delivered, not per character: the pieces come as the transport reads them).
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
    }

    /// <summary>Set when the file could not be written (disk full...); the test still runs.</summary>
    public string? WriteError { get; private set; }

    public void OnOutput(OutputKind stream, ReadOnlySpan<char> text)
    {
        if (WriteError is null)
        {
            try
            {
                _writer.Write(text);
            }
            catch (IOException e)
            {
                WriteError = e.Message;
            }
        }

        while (!text.IsEmpty)
        {
            var newline = text.IndexOf('\n');
            var line = newline < 0 ? text : text[..newline];
            var room = MaxLineLength - _partial.Length;
            if (room > 0)
            {
                _partial.Append(line[..Math.Min(room, line.Length)]);
            }

            _partialCut |= line.Length > room;
            if (newline < 0)
            {
                break;
            }

            PushLine();
            text = text[(newline + 1)..];
        }
    }

    /// <summary>The last <see cref="TailLines"/> lines of output (an unfinished last line included).</summary>
    public IReadOnlyList<string> LastLines()
    {
        var lines = _tail.ToList();
        if (_partial.Length > 0)
        {
            lines.Add(CurrentLine());
            if (lines.Count > TailLines)
            {
                lines.RemoveAt(0);
            }
        }

        return lines;
    }

    public void Dispose()
    {
        try
        {
            _writer.Dispose();
        }
        catch (IOException e)
        {
            WriteError ??= e.Message;
        }
    }

    private void PushLine()
    {
        _tail.Enqueue(CurrentLine());
        if (_tail.Count > TailLines)
        {
            _tail.Dequeue();
        }

        _partial.Clear();
        _partialCut = false;
    }

    private string CurrentLine()
    {
        var line = _partial.ToString().TrimEnd('\r');
        return _partialCut ? line + " [line cut]" : line;
    }
}
