using System.Globalization;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Consoles.Shell;

namespace DeviceTest.Fakes;

/// <summary>
/// A command device of a <see cref="FakeBoard"/> (made by <see cref="FakeBoard.Connect"/> or
/// <see cref="FakeBoard.Shell"/>), with the contract of the real ones: commands run while the board is up
/// (<c>sleep N</c> takes N s of fake time; others exit 0 unless scripted with <see cref="Answer"/>), a board that goes
/// down under a command loses it (<see cref="DeviceLostException"/>), one that is not up is unreachable, and
/// <see cref="EnsureReadyAsync"/> waits for it. Its own <see cref="RebootAsync"/> behaves as SSH's and the console
/// shell's do: the command runs, the board must go down and come back.
/// </summary>
public sealed class FakeCommandDevice : IDevice
{
    private readonly FakeBoard _board;
    private readonly FakeCommandRole _role;
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _readyTimeouts = [];
    private readonly Dictionary<string, CommandResult> _answers = new(StringComparer.Ordinal);

    internal FakeCommandDevice(FakeBoard board, FakeCommandRole role)
    {
        _board = board;
        _role = role;
    }

    public string Name => _board.Name;

    public IReadOnlyList<string> Tags { get; } = [];

    public IReadOnlyList<string> Transports => [_role == FakeCommandRole.Ssh ? "ssh (fake)" : "console shell (fake)"];

    public IFileTransfer Files { get; } = new NoFiles();

    public IDeviceConsole? Console => _role == FakeCommandRole.ConsoleShell ? _board.Console : null;

    public IPower? Power => null;

    public bool IsDisposed { get; private set; }

    /// <summary>The timeouts <see cref="EnsureReadyAsync"/> was given, in order.</summary>
    public IReadOnlyList<TimeSpan> ReadyTimeouts
    {
        get
        {
            lock (_gate)
            {
                return [.. _readyTimeouts];
            }
        }
    }

    /// <summary>Scripts what a command prints and its exit code.</summary>
    public void Answer(string command, string stdout, int exitCode = 0, string stderr = "")
    {
        lock (_gate)
        {
            _answers[command] = new CommandResult { ExitCode = exitCode, Stdout = stdout, Stderr = stderr, Duration = TimeSpan.Zero };
        }
    }

    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var text = request.Command.ToShellString();
        ThrowUnlessUp(text);
        _board.Record(text);
        if (FakeBoard.IsRebootCommand(text))
        {
            return RunReboot(text);
        }

        if (text.StartsWith("sleep ", StringComparison.Ordinal) && double.TryParse(text[6..], CultureInfo.InvariantCulture, out var seconds))
        {
            var limit = request.Timeout ?? Timeout.InfiniteTimeSpan;
            var sleep = TimeSpan.FromSeconds(seconds);
            var started = _board.Clock.GetUtcNow();
            var wait = limit != Timeout.InfiniteTimeSpan && limit < sleep ? limit : sleep;
            if (await _board.WaitForAsync(s => s != FakeBoardState.Up, wait, cancellationToken))
            {
                throw Lost(text);
            }

            return Result(0, string.Empty, string.Empty, _board.Clock.GetUtcNow() - started, timedOut: wait < sleep);
        }

        lock (_gate)
        {
            return _answers.TryGetValue(text, out var answer) ? answer : Result(0, string.Empty, string.Empty, TimeSpan.Zero, timedOut: false);
        }
    }

    /// <summary>Waits (fake time) until the board is up; the console shell pokes the console first.</summary>
    /// <exception cref="DeviceUnreachableException">Not up within <paramref name="timeout"/>.</exception>
    public async Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        lock (_gate)
        {
            _readyTimeouts.Add(timeout);
        }

        if (_role == FakeCommandRole.ConsoleShell)
        {
            await _board.Console.OpenAsync(cancellationToken);
            await _board.Console.WriteLineAsync(string.Empty, cancellationToken);
        }

        if (!await _board.WaitForAsync(s => s == FakeBoardState.Up, timeout, cancellationToken))
        {
            throw new DeviceUnreachableException(_role == FakeCommandRole.Ssh
                ? string.Create(CultureInfo.InvariantCulture, $"device '{Name}' is unreachable over ssh (fake): no answer within {timeout.TotalSeconds:0.#} s (the board is {_board.State})")
                : string.Create(CultureInfo.InvariantCulture, $"{Name}: no shell prompt on its console (fake) within {timeout.TotalSeconds:0.#} s (the board is {_board.State})"));
        }
    }

    /// <summary>The part's own reboot (SSH, console shell): run the command, see the board go down, wait for it to come back.</summary>
    public async Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var text = command?.ToShellString() ?? "reboot";
        var clock = _board.Clock;
        var started = clock.GetUtcNow();
        ThrowUnlessUp(text);
        _board.Record(text);
        switch (_board.Reboot)
        {
            case FakeReboot.Fails:
                return Outcome(false, $"the reboot command '{text}' failed with exit code {_board.RebootExitCode}: {_board.RebootError}");
            case FakeReboot.DoesNothing:
                await _board.WaitForAsync(s => s != FakeBoardState.Up, timeout, cancellationToken);
                return Outcome(false, string.Create(CultureInfo.InvariantCulture, $"'{text}' ran, but device '{Name}' still answered after {timeout.TotalSeconds:0} s"));
            default:
                _board.StartReboot();
                var down = clock.GetUtcNow() - started;
                if (!await _board.WaitForAsync(s => s == FakeBoardState.Up, timeout - down, cancellationToken))
                {
                    throw new DeviceLostException(string.Create(
                        CultureInfo.InvariantCulture, $"device lost: '{Name}' went down after '{text}' but did not answer again within {timeout.TotalSeconds:0} s"));
                }

                return Outcome(true, string.Create(
                    CultureInfo.InvariantCulture, $"went down after {down.TotalSeconds:0.0} s, shell ready after {(clock.GetUtcNow() - started).TotalSeconds:0.0} s"));
        }

        RebootOutcome Outcome(bool rebooted, string details) =>
            new() { Rebooted = rebooted, Details = details, Duration = clock.GetUtcNow() - started };
    }

    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        return ValueTask.CompletedTask;
    }

    private static CommandResult Result(int exitCode, string stdout, string stderr, TimeSpan duration, bool timedOut) =>
        new() { ExitCode = timedOut ? -1 : exitCode, Stdout = stdout, Stderr = stderr, Duration = duration, TimedOut = timedOut };

    private CommandResult RunReboot(string text)
    {
        switch (_board.Reboot)
        {
            case FakeReboot.Fails:
                return Result(_board.RebootExitCode, string.Empty, _board.RebootError, TimeSpan.Zero, timedOut: false);
            case FakeReboot.DoesNothing:
                return Result(0, string.Empty, string.Empty, TimeSpan.Zero, timedOut: false);
            default:
                _board.StartReboot();
                throw Lost(text);
        }
    }

    private void ThrowUnlessUp(string command)
    {
        if (_board.State == FakeBoardState.Up)
        {
            return;
        }

        if (_role == FakeCommandRole.Ssh)
        {
            throw new DeviceUnreachableException($"device '{Name}' is unreachable over ssh (fake): the board is {_board.State}");
        }

        throw new DeviceLostException($"device lost: the shell on the console of '{Name}' did not answer '{command}' (the board is {_board.State})");
    }

    private DeviceLostException Lost(string command) => new(_role == FakeCommandRole.Ssh
        ? $"device lost: '{Name}' (fake ssh) stopped answering while running '{command}'"
        : $"device lost: the console shell of '{Name}' stopped answering while running '{command}'");

    /// <summary>The fakes move no files.</summary>
    private sealed class NoFiles : IFileTransfer
    {
        public Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the fake command device moves no files");

        public Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the fake command device moves no files");

        public Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the fake command device moves no files");
    }
}
