using System.Globalization;
using DeviceTest.Hardware.Flashing;

namespace DeviceTest.Agent.Progress;

/// <summary>
/// Shows a flash as it goes: each step as a line; while writing or verifying, on a terminal one status line rewritten
/// in place ("write  512 MiB / 1.0 GiB  95 MiB/s  0m05s left"), otherwise a plain line every 10% (every 5 s when
/// the total is not known) and at the end of the stage.
/// </summary>
internal sealed class FlashProgressLine(TextWriter output, bool interactive) : IProgress<FlashProgress>
{
    private readonly Lock _gate = new();
    private int _lineLength;
    private int _lastTenth = -1;
    private FlashStage _byteStage = (FlashStage)(-1);
    private DateTime _lastLine;
    private long _printedBytes = -1;

    /// <summary>The step seen last (for the message after Ctrl+C).</summary>
    public FlashStage Stage { get; private set; }

    public void Report(FlashProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            if (value.Stage != FlashStage.MuxToDevice)
            {
                // Switching the mux back is the clean-up after any stop: the step that was stopped is the one before.
                Stage = value.Stage;
            }

            if (value.Message is { } message)
            {
                Clear();
                output.WriteLine($"  {Label(value.Stage),-8} {message}");
                return;
            }

            if (value.Stage != _byteStage)
            {
                _byteStage = value.Stage;
                _lastTenth = -1;
                _printedBytes = -1;
            }

            var line = Describe(value);
            if (interactive)
            {
                output.Write('\r' + line.PadRight(_lineLength));
                _lineLength = line.Length;
                output.Flush();
                return;
            }

            var tenth = value.TotalBytes is > 0 and { } total ? (int)(value.Bytes * 10 / total) : -1;
            var now = DateTime.UtcNow;
            var due = value.Done
                ? value.Bytes != _printedBytes // the stage's end, unless its last tenth said it already
                : tenth > _lastTenth || (tenth < 0 && now - _lastLine >= TimeSpan.FromSeconds(5));
            if (due)
            {
                _lastLine = now;
                _printedBytes = value.Bytes;
                output.WriteLine(line);
            }

            _lastTenth = value.Done ? int.MaxValue : Math.Max(_lastTenth, tenth);
        }
    }

    /// <summary>Ends the status line.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            Clear();
        }
    }

    internal static string Describe(FlashProgress value)
    {
        var total = value.TotalBytes is { } t ? " / " + ByteSize.Format(t) : string.Empty;
        var left = value.TimeLeft is { } l ? string.Create(CultureInfo.InvariantCulture, $"  {(int)l.TotalMinutes}m{l.Seconds:00}s left") : string.Empty;
        return $"  {Label(value.Stage),-8} {ByteSize.Format(value.Bytes)}{total}  {ByteSize.Speed(value.BytesPerSecond)}{left}";
    }

    private static string Label(FlashStage stage) => stage switch
    {
        FlashStage.PowerOff => "POWER",
        FlashStage.MuxToHost or FlashStage.MuxToDevice => "MUX",
        FlashStage.WaitForMedium => "MEDIUM",
        FlashStage.Command => "COMMAND",
        _ => stage.ToString().ToUpperInvariant(),
    };

    private void Clear()
    {
        if (interactive && _lineLength > 0)
        {
            output.Write('\r' + new string(' ', _lineLength) + '\r');
            _lineLength = 0;
        }
    }
}
