using System.Text;

namespace DeviceTest.Hardware.Tests.Local;

/// <summary>An output observer that keeps what it saw (bounded) and counts characters.</summary>
internal sealed class RecordingOutput : IOutputObserver
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly int _keep;
    private readonly TaskCompletionSource<bool> _sawText = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _waitFor;

    public RecordingOutput(int keep = 1 << 20, string? waitFor = null)
    {
        _keep = keep;
        _waitFor = waitFor;
    }

    public long StdoutChars { get; private set; }

    public long StderrChars { get; private set; }

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Completes when stdout has contained the text given to the constructor.</summary>
    public Task SawText => _sawText.Task;

    public void OnOutput(OutputKind stream, ReadOnlySpan<char> text)
    {
        lock (_gate)
        {
            var builder = stream == OutputKind.Stdout ? _stdout : _stderr;
            if (stream == OutputKind.Stdout)
            {
                StdoutChars += text.Length;
            }
            else
            {
                StderrChars += text.Length;
            }

            var room = _keep - builder.Length;
            if (room > 0)
            {
                builder.Append(text[..Math.Min(room, text.Length)]);
            }

            if (_waitFor is not null && stream == OutputKind.Stdout && _stdout.ToString().Contains(_waitFor, StringComparison.Ordinal))
            {
                _sawText.TrySetResult(true);
            }
        }
    }
}
