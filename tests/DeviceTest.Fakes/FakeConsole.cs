using System.Text;
using System.Text.RegularExpressions;
using DeviceTest.Hardware;

namespace DeviceTest.Fakes;

/// <summary>
/// A console in memory, with the matching rules of the real one (<c>SerialConsole</c>): <see cref="ExpectAsync"/>
/// matches text read since the last match and consumes it, times out on the fake clock, and fails with
/// <see cref="DeviceLostException"/> once the other side closed the console. What the device prints
/// (<see cref="Print"/>) is logged and matched while the console is open and lost while it is not; everything written
/// is recorded, and scripted answers (<see cref="When(Regex, Func{Match, string?})"/>) reply to what is written.
/// </summary>
public sealed class FakeConsole : IDeviceConsole
{
    private readonly TimeProvider _time;
    private readonly FakeClock? _clock;
    private readonly Lock _gate = new();
    private readonly StringBuilder _unmatched = new();
    private readonly StringBuilder _seen = new();
    private readonly List<FakeConsoleWrite> _writes = [];
    private readonly List<(Regex Written, Func<Match, string?> Answer)> _rules = [];
    private Waiter? _waiter;
    private string? _closedReason;

    public FakeConsole(TimeProvider time, string description = "fake console")
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _clock = time as FakeClock;
        Description = description;
    }

    /// <summary>For messages, as the real console's description (e.g. the port).</summary>
    public string Description { get; }

    public ConsoleLog Log { get; } = new();

    /// <summary>True while open and not closed by the other side.</summary>
    public bool IsOpen { get; private set; }

    /// <summary>How many times it was opened (including reopenings after the other side closed it).</summary>
    public int Opens { get; private set; }

    /// <summary>When set and it returns an exception, <see cref="OpenAsync"/> throws it (the port is missing, QEMU does not run).</summary>
    public Func<Exception?>? RefuseOpen { get; set; }

    /// <summary>Every write, in order.</summary>
    public IReadOnlyList<FakeConsoleWrite> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Everything written, as one text.</summary>
    public string Written => string.Concat(Writes.Select(w => w.Text));

    public bool IsDisposed { get; private set; }

    /// <summary>When a write matches <paramref name="written"/>, the device prints what <paramref name="answer"/> returns (null: nothing).</summary>
    public void When(Regex written, Func<Match, string?> answer)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(answer);
        lock (_gate)
        {
            _rules.Add((written, answer));
        }
    }

    /// <summary>When <paramref name="written"/> is written, the device prints <paramref name="answer"/>.</summary>
    public void When(string written, string answer) => When(new Regex(Regex.Escape(written), RegexOptions.CultureInvariant), _ => answer);

    /// <summary>The device prints <paramref name="text"/>: logged and matched while the console is open, lost while it is not.</summary>
    public void Print(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var change = BeginChange();
        Waiter? done = null;
        Match? match = null;
        lock (_gate)
        {
            if (!IsOpen)
            {
                return;
            }

            Log.Append(text, _time.GetUtcNow());
            _unmatched.Append(text);
            _seen.Append(text);
            if (_waiter is { } waiter && Consume(waiter.Pattern) is { } found)
            {
                _waiter = null;
                done = waiter;
                match = found;
            }
        }

        if (done is not null)
        {
            Wake(() => done.Finish(match!));
        }
    }

    /// <summary>The other side closes the console (QEMU died, the ser2net connection dropped): a waiting expect fails.</summary>
    public void Close(string reason = "the other side closed it")
    {
        using var change = BeginChange();
        Waiter? waiter;
        lock (_gate)
        {
            if (!IsOpen)
            {
                return;
            }

            IsOpen = false;
            _closedReason = reason;
            waiter = _waiter;
            _waiter = null;
        }

        if (waiter is not null)
        {
            var lost = Lost(waiter.Pattern, reason);
            Wake(() => waiter.Fail(lost));
        }
    }

    public Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (RefuseOpen?.Invoke() is { } refused)
        {
            return Task.FromException(refused);
        }

        lock (_gate)
        {
            if (!IsOpen)
            {
                IsOpen = true;
                _closedReason = null;
                Opens++;
            }
        }

        return Task.CompletedTask;
    }

    /// <exception cref="DeviceLostException">The other side closed the console.</exception>
    public Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        cancellationToken.ThrowIfCancellationRequested();
        using var change = BeginChange();
        List<(Regex Written, Func<Match, string?> Answer)> rules;
        lock (_gate)
        {
            if (_closedReason is { } reason)
            {
                return Task.FromException(new DeviceLostException($"device lost: the console ({Description}) closed ({reason})"));
            }

            _writes.Add(new FakeConsoleWrite(_time.GetUtcNow(), text));
            rules = [.. _rules];
        }

        foreach (var (written, answer) in rules)
        {
            if (written.Match(text) is { Success: true } match && answer(match) is { } reply)
            {
                Print(reply);
            }
        }

        return Task.CompletedTask;
    }

    public Task WriteLineAsync(string line, CancellationToken cancellationToken) => WriteAsync(line + "\n", cancellationToken);

    /// <exception cref="TimeoutException">Nothing matched within <paramref name="timeout"/> of fake time.</exception>
    /// <exception cref="DeviceLostException">The other side closed the console and nothing matched.</exception>
    public Task<Match> ExpectAsync(Regex pattern, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<Match>(cancellationToken);
        }

        Waiter waiter;
        lock (_gate)
        {
            if (Consume(pattern) is { } found)
            {
                return Task.FromResult(found);
            }

            if (_closedReason is { } reason)
            {
                return Task.FromException<Match>(Lost(pattern, reason));
            }

            if (_waiter is not null)
            {
                throw new InvalidOperationException("the fake console serves one expect at a time, as the real one does in order");
            }

            waiter = new Waiter(pattern);
            _waiter = waiter;
        }

        if (timeout != Timeout.InfiniteTimeSpan)
        {
            waiter.Timer = _time.CreateTimer(_ => Expire(waiter, timeout), null, timeout, Timeout.InfiniteTimeSpan);
        }

        waiter.Registration = cancellationToken.Register(() => Cancel(waiter, cancellationToken));
        return waiter.Task;
    }

    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        Close("disposed");
        return ValueTask.CompletedTask;
    }

    /// <summary>The last text seen (up to 200 characters), for messages.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            var text = _seen.ToString();
            return "\"" + (text.Length > 200 ? text[^200..] : text).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
        }
    }

    private DeviceLostException Lost(Regex pattern, string reason) =>
        new($"device lost: the console ({Description}) closed ({reason}) while waiting for /{pattern}/; last text seen: {Tail()}");

    private Match? Consume(Regex pattern)
    {
        var text = _unmatched.ToString();
        var match = pattern.Match(text);
        if (!match.Success)
        {
            return null;
        }

        _unmatched.Remove(0, match.Index + match.Length);
        return match;
    }

    private void Expire(Waiter waiter, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_waiter != waiter)
            {
                return;
            }

            _waiter = null;
        }

        var timedOut = new TimeoutException($"console ({Description}): no match for /{waiter.Pattern}/ within {timeout.TotalSeconds:0.#} s; last text seen: {Tail()}");
        Wake(() => waiter.Fail(timedOut));
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_waiter != waiter)
            {
                return;
            }

            _waiter = null;
        }

        Wake(() => waiter.Cancel(cancellationToken));
    }

    private IDisposable? BeginChange() => _clock?.BeginChange();

    private void Wake(Action wake)
    {
        if (_clock is null)
        {
            wake();
        }
        else
        {
            _clock.Deliver(wake);
        }
    }

    /// <summary>An expect that waits; completed inline (no thread hop) when text matches, time is up, or it is cancelled.</summary>
    private sealed class Waiter(Regex pattern)
    {
        private readonly TaskCompletionSource<Match> _done = new();

        public Regex Pattern { get; } = pattern;

        public ITimer? Timer { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public Task<Match> Task => _done.Task;

        public void Finish(Match match)
        {
            Release();
            _done.TrySetResult(match);
        }

        public void Fail(Exception error)
        {
            Release();
            _done.TrySetException(error);
        }

        public void Cancel(CancellationToken cancellationToken)
        {
            Release();
            _done.TrySetCanceled(cancellationToken);
        }

        private void Release()
        {
            Timer?.Dispose();
            Registration.Dispose();
        }
    }
}
