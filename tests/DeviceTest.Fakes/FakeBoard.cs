using System.Text.RegularExpressions;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Consoles.Shell;

namespace DeviceTest.Fakes;

/// <summary>
/// A simulated board on a <see cref="FakeClock"/> that ties the fakes together the way a real board ties its parts:
/// switched on (by its <see cref="Power"/>, or its <see cref="Machine"/> for a virtual board) it prints its boot log on
/// its <see cref="Console"/> and, <see cref="BootTime"/> later, its prompt; then its command devices
/// (<see cref="Connect"/> for SSH, <see cref="Shell"/> for the console shell) answer. Switched off, hung or reset,
/// commands in flight are lost. Its reboot command does what <see cref="Reboot"/> says.
/// </summary>
public sealed class FakeBoard
{
    private readonly Lock _gate = new();
    private readonly List<string> _commands = [];
    private TaskCompletionSource _changed = new();
    private int _generation;
    private FakeCommandDevice? _shell;

    /// <param name="clock">The fake clock.</param>
    /// <param name="name">The device's name.</param>
    /// <param name="isVirtual">A QEMU board: switched by <see cref="Machine"/>, its console open only while QEMU runs.</param>
    public FakeBoard(FakeClock clock, string name = "fake-board", bool isVirtual = false)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
        Name = name;
        IsVirtual = isVirtual;
        Console = new FakeConsole(clock, isVirtual ? "QEMU serial (fake)" : "fake serial");
        Power = new FakePower();
        Machine = new FakeQemuMachine(name, clock);
        Console.When(new Regex("^\n$", RegexOptions.CultureInvariant), _ => State == FakeBoardState.Up ? Prompt : null);
        if (isVirtual)
        {
            Machine.Changed = OnMachine;
            Console.RefuseOpen = () => Machine.IsRunning
                ? null
                : new DeviceUnreachableException($"device '{name}': QEMU is not running, so its serial console cannot be opened");
        }
        else
        {
            Power.Switched = OnPower;
        }
    }

    public FakeClock Clock { get; }

    public string Name { get; }

    public bool IsVirtual { get; }

    public FakeConsole Console { get; }

    /// <summary>The power switch (wired to the board unless it is virtual).</summary>
    public FakePower Power { get; }

    /// <summary>The QEMU machine (wired to the board when it is virtual).</summary>
    public FakeQemuMachine Machine { get; }

    public FakeBoardState State { get; private set; }

    /// <summary>From switch-on (or reset) to the prompt. Default 3 s.</summary>
    public TimeSpan BootTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>False: the board boots but never reaches its shell (a broken image).</summary>
    public bool BootsToShell { get; set; } = true;

    /// <summary>What it prints first when it boots (U-Boot, kernel).</summary>
    public string BootLog { get; set; } = "U-Boot 2024.01\nStarting kernel ...\nLinux version 6.1.0-fake\n";

    /// <summary>The prompt, printed when the shell is ready and after every newline written then.</summary>
    public string Prompt { get; set; } = "/ # ";

    /// <summary>What its reboot command (<c>reboot</c>, or any command containing "reboot") does.</summary>
    public FakeReboot Reboot { get; set; } = FakeReboot.Reboots;

    /// <summary>The exit code of a failing reboot command.</summary>
    public int RebootExitCode { get; set; } = 1;

    /// <summary>The error output of a failing reboot command.</summary>
    public string RebootError { get; set; } = "reboot: must be superuser.";

    /// <summary>False: a reboot prints nothing on the console before the board goes quiet.</summary>
    public bool RebootPrints { get; set; } = true;

    /// <summary>A virtual board whose QEMU exits when the guest reboots (QEMU's <c>-no-reboot</c>).</summary>
    public bool RebootExitsQemu { get; set; }

    /// <summary>How many times it reached its shell.</summary>
    public int Boots { get; private set; }

    /// <summary>How many SSH command devices were made (<see cref="Connect"/>).</summary>
    public int Connections { get; private set; }

    /// <summary>Every command run on it, over any command device, in order.</summary>
    public IReadOnlyList<string> CommandsRun
    {
        get
        {
            lock (_gate)
            {
                return [.. _commands];
            }
        }
    }

    /// <summary>The console shell command device (one per board, as the real one).</summary>
    public FakeCommandDevice Shell => _shell ??= new FakeCommandDevice(this, FakeCommandRole.ConsoleShell);

    /// <summary>A new SSH command device (a new connection).</summary>
    public FakeCommandDevice Connect()
    {
        Connections++;
        return new FakeCommandDevice(this, FakeCommandRole.Ssh);
    }

    /// <summary>Already up, as a board found running (no boot log in the console).</summary>
    public FakeBoard Running()
    {
        using var change = Clock.BeginChange();
        if (IsVirtual)
        {
            throw new InvalidOperationException("a virtual board runs only once QEMU was started");
        }

        SetState(FakeBoardState.Up);
        return this;
    }

    /// <summary>Switches on: an off board boots; one that is on stays as it is.</summary>
    public void SwitchOn()
    {
        using var change = Clock.BeginChange();
        if (State == FakeBoardState.Off)
        {
            Boot();
        }
    }

    /// <summary>Switches off: everything in flight is lost.</summary>
    public void SwitchOff()
    {
        using var change = Clock.BeginChange();
        _generation++;
        SetState(FakeBoardState.Off);
    }

    /// <summary>A reset (power cycle, QMP system_reset): boots from scratch.</summary>
    public void Reset()
    {
        using var change = Clock.BeginChange();
        SwitchOff();
        Boot();
    }

    /// <summary>Hangs (a kernel panic): prints nothing, answers nothing, until reset.</summary>
    public void Hang()
    {
        using var change = Clock.BeginChange();
        _generation++;
        SetState(FakeBoardState.Hung);
    }

    internal void Record(string command)
    {
        lock (_gate)
        {
            _commands.Add(command);
        }
    }

    internal static bool IsRebootCommand(string command) => command.Contains("reboot", StringComparison.Ordinal);

    /// <summary>The reboot command runs: the board goes down now (and boots again) when it <see cref="FakeReboot.Reboots"/>.</summary>
    internal void StartReboot()
    {
        using var change = Clock.BeginChange();
        if (RebootPrints)
        {
            Console.Print("reboot: Restarting system\n");
        }

        if (IsVirtual && RebootExitsQemu)
        {
            Machine.Kill();
            return;
        }

        Reset();
    }

    /// <summary>Waits (fake time) until <paramref name="condition"/> holds; false at the timeout.</summary>
    internal async Task<bool> WaitForAsync(Func<FakeBoardState, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var end = timeout == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : Clock.GetUtcNow() + timeout;
        while (!condition(State))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = end == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : end - Clock.GetUtcNow();
            if (left != Timeout.InfiniteTimeSpan && left <= TimeSpan.Zero)
            {
                return false;
            }

            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(left, Clock, stop.Token);
            await Task.WhenAny(changed, delay);
            stop.Cancel();
        }

        return true;
    }

    private void OnPower(string action)
    {
        using var change = Clock.BeginChange();
        switch (action)
        {
            case "on":
                SwitchOn();
                break;
            case "off":
                SwitchOff();
                break;
            default:
                Reset();
                break;
        }
    }

    private void OnMachine(string action)
    {
        using var change = Clock.BeginChange();
        switch (action)
        {
            case "cont" when State == FakeBoardState.Off:
                Boot();
                break;
            case "system_reset":
                Reset();
                break;
            case "exit":
                SwitchOff();
                Console.Close("QEMU exited");
                break;
        }
    }

    private void Boot()
    {
        var generation = ++_generation;
        SetState(FakeBoardState.Booting);
        Console.Print(BootLog);
        if (!BootsToShell)
        {
            return;
        }

        ITimer? timer = null;
        timer = Clock.CreateTimer(
            _ =>
            {
                using var change = Clock.BeginChange();
                timer?.Dispose();
                if (generation != _generation)
                {
                    return;
                }

                Boots++;
                SetState(FakeBoardState.Up);
                Console.Print(Prompt);
            },
            null,
            BootTime,
            Timeout.InfiniteTimeSpan);
    }

    private void SetState(FakeBoardState state)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            State = state;
            changed = _changed;
            _changed = new TaskCompletionSource();
        }

        Clock.Deliver(() => changed.TrySetResult());
    }
}
