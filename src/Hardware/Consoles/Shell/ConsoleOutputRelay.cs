namespace DeviceTest.Hardware.Consoles.Shell;

/// <summary>
/// Passes a console command's output on to its observer while the command runs, from the console's unmatched text as
/// <see cref="SerialConsole"/> shows it while it waits for the end marker (<see cref="Seen"/>), so that a long test on
/// a serial board shows its lines as they come. The observer gets exactly the text the result gets: the console text
/// after the start marker (carriage returns and ANSI escapes removed) up to the end marker, as stdout (a console
/// merges stderr into it). Only an end of the text that could be the start of a marker is held back until more comes,
/// and nothing at or after a whole marker is passed on; <see cref="Finish"/> passes on the rest once the marker matched.
/// </summary>
internal sealed class ConsoleOutputRelay(IOutputObserver? observer, params string[] markers)
{
    /// <summary>Where the text passed on so far ends, in the console's text stream; null before any text was seen.</summary>
    private long? _passed;

    /// <summary>Where the last text seen starts, in the console's text stream.</summary>
    private long _start;

    /// <summary>A marker was seen whole: what follows it is not output.</summary>
    private bool _markerSeen;

    /// <summary>The console's unmatched text, which starts at <paramref name="start"/> in its text stream.</summary>
    public void Seen(string text, long start)
    {
        ArgumentNullException.ThrowIfNull(text);
        _start = start;

        // Text the console's bounded match buffer dropped before it was seen is lost (the result loses it too).
        var from = Math.Max(_passed ?? start, start);
        _passed = from;
        if (observer is null || _markerSeen || from - start >= text.Length)
        {
            return;
        }

        var pending = text.AsSpan((int)(from - start));
        var end = pending.Length;
        var keep = 0;
        foreach (var marker in markers)
        {
            var at = pending.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && at < end)
            {
                end = at;
                _markerSeen = true;
            }

            keep = Math.Max(keep, MarkerTail.Length<char>(pending, marker));
        }

        Pass(_markerSeen ? pending[..end] : pending[..^keep]);
    }

    /// <summary>
    /// The text before the marker that matched (<c>$`</c> of the match, in the last text seen): passes on what is left of
    /// it. Without any text seen (a console that does not show its text while it waits), passes it all on.
    /// </summary>
    public void Finish(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var from = _passed is { } passed ? (int)Math.Clamp(passed - _start, 0, output.Length) : 0;
        Pass(output.AsSpan(from));
        _markerSeen = true;
    }

    private void Pass(ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty)
        {
            observer?.OnOutput(OutputKind.Stdout, text);
            _passed += text.Length;
        }
    }
}
