using System.Text;

namespace DeviceTest.Hardware;

/// <summary>
/// Passes a command's stdout on to an observer except one line, <c>\n&lt;marker&gt;...\n</c>, which it keeps: the report
/// a wrapper script prints after the command (see <see cref="ShellWorkDirectories"/>). Only text that could be the start
/// of the marker is held back, until it is known not to be; <see cref="Complete"/> passes on what is left.
/// </summary>
internal sealed class ReportLineFilter(IOutputObserver? inner, string marker) : IOutputObserver
{
    private readonly StringBuilder _held = new();
    private StringBuilder? _report;

    /// <summary>The report line's text after the marker, once it ended with a newline; else null.</summary>
    public string? Report { get; private set; }

    public void OnOutput(OutputKind stream, ReadOnlySpan<char> text)
    {
        if (stream != OutputKind.Stdout)
        {
            inner?.OnOutput(stream, text);
            return;
        }

        if (_report is not null && Report is null)
        {
            TakeReport(text);
            return;
        }

        _held.Append(text);
        var all = _held.ToString();
        var at = Report is null ? all.IndexOf(marker, StringComparison.Ordinal) : -1;
        if (at >= 0)
        {
            Pass(all.AsSpan(0, at));
            _held.Clear();
            _report = new StringBuilder();
            TakeReport(all.AsSpan(at + marker.Length));
            return;
        }

        var keep = Report is null ? MarkerTail.Length<char>(all, marker) : 0;
        Pass(all.AsSpan(0, all.Length - keep));
        _held.Remove(0, all.Length - keep);
    }

    /// <summary>Passes on text held back (the command ended without a report).</summary>
    public void Complete()
    {
        if (_held.Length > 0)
        {
            Pass(_held.ToString());
            _held.Clear();
        }
    }

    /// <summary><paramref name="text"/> without the report line.</summary>
    public string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return text;
        }

        var end = text.IndexOf('\n', at + marker.Length);
        return end < 0 ? text[..at] : text[..at] + text[(end + 1)..];
    }

    private void TakeReport(ReadOnlySpan<char> text)
    {
        var newline = text.IndexOf('\n');
        if (newline < 0)
        {
            _report!.Append(text);
            return;
        }

        Report = _report!.Append(text[..newline]).ToString();
        _report = null;
        if (newline + 1 < text.Length)
        {
            Pass(text[(newline + 1)..]);
        }
    }

    private void Pass(ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty)
        {
            inner?.OnOutput(OutputKind.Stdout, text);
        }
    }
}
