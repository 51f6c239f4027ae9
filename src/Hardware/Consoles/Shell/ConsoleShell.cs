using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Consoles.Shell;

/// <summary>
/// Runs commands through a shell on a console (serial boards, QEMU's serial). Logs in when <c>shell.login</c> is
/// set, turns terminal echo off when it can, and frames every command with unique start and end markers, so that
/// output and exit code are taken exactly even when the echo is on or the kernel prints lines in between.
/// </summary>
/// <remarks>
/// What a console shell cannot separate: stderr arrives merged into <see cref="CommandResult.Stdout"/>
/// (<see cref="CommandResult.Stderr"/> is empty), and kernel messages printed on the console while a command runs
/// appear in its stdout. Output is console text: carriage returns and ANSI escape sequences are removed.
/// Commands run one at a time under <c>/bin/sh</c> (as over SSH), each in a subshell with stdin from /dev/null, and
/// arrive byte for byte: tabs, control bytes, UTF-8 and lines of any length (<see cref="ConsoleCommandScript"/>).
/// Each runs in a session and process group of its own, in the background, while the shell reads the console; a
/// timeout or cancellation types a stop line, and the shell ends the whole group (SIGTERM, SIGKILL after
/// <see cref="CommandRequest.KillGracePeriod"/>), also on shells without job control, where Ctrl+C does nothing.
/// <see cref="CommandRequest.Output"/> gets the output while the command runs, the same text the result gets
/// (<see cref="ConsoleOutputRelay"/>). Output longer than the console's match buffer
/// (<see cref="SerialConsole.MaxBufferedChars"/>) keeps its end and sets <see cref="CommandResult.OutputTruncated"/>; the
/// observer still gets all of it.
/// </remarks>
public sealed class ConsoleShell : IDisposable
{
    private const string StartTag = ConsoleCommandScript.StartTag;
    private const string EndMarker = ConsoleCommandScript.EndMarker;
    private const string SyncTag = ConsoleCommandScript.SyncTag;

    private readonly ShellConfig _config;
    private readonly Regex _prompt;
    private readonly Regex _loginOrPrompt;
    private readonly ConsoleLogin? _login;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _ready;
    private bool _setsid = true;

    public ConsoleShell(string deviceName, IDeviceConsole console, ShellConfig config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceName);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(config);
        DeviceName = deviceName;
        Console = console;
        _config = config;
        const RegexOptions options = RegexOptions.Multiline | RegexOptions.CultureInvariant;
        _prompt = new Regex(config.Prompt, options);
        var login = config.Login;
        _loginOrPrompt = login is null
            ? new Regex($"(?<prompt>{config.Prompt})", options)
            : new Regex($"(?<login>{login.LoginPrompt})|(?<prompt>{config.Prompt})", options);
        _login = login is null ? null : new ConsoleLogin(deviceName, login, config.Prompt);
    }

    public string DeviceName { get; }

    public IDeviceConsole Console { get; }

    /// <summary>How long the prompt may take to come back after a command or a Ctrl+C.</summary>
    public TimeSpan PromptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a command may take to start (its line read and parsed by the shell).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the shell may take, beyond the kill grace period, to end a stopped command and report back.</summary>
    public TimeSpan StopWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Console text that shows a reboot is under way (after the reboot command was sent): the kernel's
    /// "reboot: Restarting system", init's "The system is going down", a bootloader or kernel banner, or a login prompt.
    /// </summary>
    public Regex RebootSignal { get; init; } = new(
        @"(?i:restarting system|system is going down|requesting system reboot|rebooting|U-Boot \d|Linux version \d|Booting Linux|Starting kernel)",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>True after the prompt was seen (and login done) and no failure happened since.</summary>
    public bool IsReady => _ready;

    private string ConsoleName => Console is SerialConsole serial ? serial.Description : "console";

    /// <summary>Opens the console, sends a newline, logs in when asked, and waits for the prompt.</summary>
    /// <exception cref="DeviceUnreachableException">No prompt in time, or the login failed.</exception>
    public async Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await BecomeReadyAsync(timeout, poke: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs a command (see the remarks on <see cref="ConsoleShell"/> for what a console can and cannot tell).</summary>
    /// <exception cref="DeviceLostException">The console closed, or the shell did not come back after Ctrl+C.</exception>
    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_ready)
            {
                await BecomeReadyAsync(_config.BootTimeout, poke: true, cancellationToken).ConfigureAwait(false);
            }

            return await RunCoreAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (DeviceLostException)
        {
            _ready = false;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Sends the reboot command (default <c>reboot</c>) without waiting for it, waits for a sign of the reboot
    /// (<see cref="RebootSignal"/>, or the console closing), then waits for the login or shell prompt without
    /// touching the console (a key press could stop a bootloader), logs in and checks the shell.
    /// </summary>
    public async Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        try
        {
            if (!_ready)
            {
                await BecomeReadyAsync(Min(timeout, _config.BootTimeout), poke: true, cancellationToken).ConfigureAwait(false);
            }

            var text = command?.ToShellString() ?? "reboot";
            _ready = false;
            await Console.WriteAsync(ConsoleCommandScript.Foreground(text), cancellationToken).ConfigureAwait(false);
            try
            {
                await Console.ExpectAsync(RebootSignal, Remaining(timeout, clock), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                return new RebootOutcome
                {
                    Rebooted = false,
                    Duration = clock.Elapsed,
                    Details = $"{DeviceName} showed no sign of rebooting after `{text}` within {timeout.TotalSeconds:0.#} s ({e.Message})",
                };
            }
            catch (DeviceLostException)
            {
                // The console went away with the board: that is going down too.
            }

            var down = clock.Elapsed;
            await BecomeReadyAsync(Remaining(timeout, clock), poke: false, cancellationToken).ConfigureAwait(false);
            return new RebootOutcome
            {
                Rebooted = true,
                Duration = clock.Elapsed,
                Details = string.Create(CultureInfo.InvariantCulture,
                    $"went down after {down.TotalSeconds:0.0} s, shell ready after {clock.Elapsed.TotalSeconds:0.0} s"),
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases the command gate; the console belongs to the caller.</summary>
    public void Dispose() => _gate.Dispose();

    internal static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) =>
        a == Timeout.InfiniteTimeSpan ? b : b == Timeout.InfiniteTimeSpan ? a : a < b ? a : b;

    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch clock)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return timeout;
        }

        var remaining = timeout - clock.Elapsed;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private async Task<CommandResult> RunCoreAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var id = NewId();
        var commandText = request.Command.ToShellString();
        var script = ConsoleCommandScript.Run(request, id, _setsid);
        var limit = request.Timeout ?? Timeout.InfiniteTimeSpan;
        var clock = Stopwatch.StartNew();
        var start = new Regex($"(?<start>{StartTag}{id}_(?<pid>\\d+)\n)|(?<prompt>{_config.Prompt})", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        var end = new Regex($"{EndMarker}{id}_(?<code>\\d+)\n", RegexOptions.CultureInvariant);
        var relay = new ConsoleOutputRelay(request.Output, $"{EndMarker}{id}_", $"{SyncTag}{id}\n");

        await Console.WriteAsync(script, cancellationToken).ConfigureAwait(false);
        string output;
        int exitCode;
        long discardedBefore;
        int? processGroup = null;
        try
        {
            var started = await Console.ExpectAsync(start, Min(Remaining(limit, clock), StartTimeout), cancellationToken).ConfigureAwait(false);
            if (!started.Groups["start"].Success)
            {
                // The shell went back to its prompt without running the group: it could not parse it. Skip whatever
                // else it printed about it.
                var error = started.Result("$`");
                relay.Finish(error);
                await SyncAsync(PromptTimeout, cancellationToken).ConfigureAwait(false);
                return Result(request, error, 2, clock.Elapsed, timedOut: false, truncated: false);
            }

            processGroup = int.Parse(started.Groups["pid"].Value, CultureInfo.InvariantCulture);
            discardedBefore = (Console as SerialConsole)?.DiscardedChars ?? 0;

            var ended = await ExpectOutputAsync(end, Remaining(limit, clock), relay, cancellationToken).ConfigureAwait(false);
            output = ended.Result("$`");
            relay.Finish(output);
            exitCode = int.Parse(ended.Groups["code"].Value, CultureInfo.InvariantCulture);
        }
        catch (TimeoutException)
        {
            var partial = await StopAsync(id, processGroup, request.KillGracePeriod, commandText, relay).ConfigureAwait(false);
            return Result(request, partial, -1, clock.Elapsed, timedOut: true, truncated: false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopAsync(id, processGroup, request.KillGracePeriod, commandText, relay).ConfigureAwait(false);
            throw;
        }
        catch (DeviceLostException e)
        {
            throw new DeviceLostException($"{e.Message} (while running `{commandText}` on {DeviceName})", e);
        }

        try
        {
            // The command ended: the foreground shell waits for a line before it reports back and prompts.
            await Console.WriteAsync(ConsoleCommandScript.Ended, cancellationToken).ConfigureAwait(false);
            await Console.ExpectAsync(new Regex($"{SyncTag}{id}\n", RegexOptions.CultureInvariant), PromptTimeout, cancellationToken).ConfigureAwait(false);
            await Console.ExpectAsync(_prompt, PromptTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The command finished; the prompt did not show (e.g. the command changed it): check it next time.
            _ready = false;
        }

        // Text dropped from the console's bounded match buffer after the start marker was output of this command.
        var truncated = ((Console as SerialConsole)?.DiscardedChars ?? 0) > discardedBefore;
        return Result(request, output, exitCode, clock.Elapsed, timedOut: false, truncated);
    }

    private static CommandResult Result(CommandRequest request, string output, int exitCode, TimeSpan duration, bool timedOut, bool truncated)
    {
        if (Encoding.UTF8.GetByteCount(output) > request.MaxCapturedBytes)
        {
            var keep = Math.Min(output.Length, request.MaxCapturedBytes);
            while (keep > 0 && Encoding.UTF8.GetByteCount(output.AsSpan(0, keep)) > request.MaxCapturedBytes)
            {
                keep -= Math.Max(1, keep / 16);
            }

            output = output[..keep];
            truncated = true;
        }
        return new CommandResult
        {
            ExitCode = exitCode,
            Stdout = output,
            Stderr = string.Empty,
            Duration = duration,
            TimedOut = timedOut,
            OutputTruncated = truncated,
        };
    }

    /// <summary>
    /// <see cref="IDeviceConsole.ExpectAsync"/> that passes the command's output on to <paramref name="relay"/> while it
    /// waits, on a console that shows its text as it comes (<see cref="SerialConsole"/>; any other passes it on at the end).
    /// </summary>
    private Task<Match> ExpectOutputAsync(Regex pattern, TimeSpan timeout, ConsoleOutputRelay relay, CancellationToken cancellationToken) =>
        Console is SerialConsole serial
            ? serial.ExpectAsync(pattern, timeout, relay.Seen, cancellationToken)
            : Console.ExpectAsync(pattern, timeout, cancellationToken);

    /// <summary>
    /// Types the stop line: the foreground shell ends the command's process group (TERM, then KILL after
    /// <paramref name="grace"/>) and reports back. Returns the output seen before that, which also goes on to <paramref name="relay"/>.
    /// </summary>
    private async Task<string> StopAsync(string id, int? processGroup, TimeSpan grace, string commandText, ConsoleOutputRelay relay)
    {
        var back = new Regex($"(?<end>{EndMarker}{id}_\\d+\n)|(?<sync>{SyncTag}{id}\n)", RegexOptions.CultureInvariant);
        try
        {
            await Console.WriteAsync(ConsoleCommandScript.Stop(processGroup), CancellationToken.None).ConfigureAwait(false);
            var match = await ExpectOutputAsync(back, grace + StopWait, relay, CancellationToken.None).ConfigureAwait(false);
            var partial = match.Result("$`");
            relay.Finish(partial);
            if (match.Groups["end"].Success)
            {
                // It ended by itself just before the stop line arrived.
                await Console.ExpectAsync(new Regex($"{SyncTag}{id}\n", RegexOptions.CultureInvariant), PromptTimeout, CancellationToken.None).ConfigureAwait(false);
            }

            await Console.ExpectAsync(_prompt, PromptTimeout, CancellationToken.None).ConfigureAwait(false);
            return partial;
        }
        catch (TimeoutException e)
        {
            _ready = false;
            throw new DeviceLostException(
                $"device lost: {DeviceName} did not come back to the shell after the stop line (command `{commandText}` timed out or was cancelled); {e.Message}", e);
        }
        catch (DeviceLostException e)
        {
            _ready = false;
            throw new DeviceLostException($"{e.Message} (while stopping `{commandText}` on {DeviceName})", e);
        }
    }

    /// <summary>Prints a unique marker and waits for it and the prompt after it: afterwards the shell is known to be idle.</summary>
    private async Task SyncAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = NewId();
        var clock = Stopwatch.StartNew();
        await Console.WriteLineAsync($"printf '%s%s\\n' {SyncTag} {id}", cancellationToken).ConfigureAwait(false);
        await Console.ExpectAsync(new Regex($"{SyncTag}{id}\n", RegexOptions.CultureInvariant), timeout, cancellationToken).ConfigureAwait(false);
        await Console.ExpectAsync(_prompt, Remaining(timeout, clock), cancellationToken).ConfigureAwait(false);
    }

    private async Task BecomeReadyAsync(TimeSpan timeout, bool poke, CancellationToken cancellationToken)
    {
        _ready = false;
        var clock = Stopwatch.StartNew();
        try
        {
            await Console.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DeviceUnreachableException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeviceUnreachableException($"cannot open the console of {DeviceName} ({ConsoleName}): {e.Message}", e);
        }

        Match found;
        try
        {
            if (poke)
            {
                await Console.WriteLineAsync(string.Empty, cancellationToken).ConfigureAwait(false);
                found = await Console.ExpectAsync(_loginOrPrompt, Remaining(timeout, clock), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    found = await Console.ExpectAsync(_loginOrPrompt, Remaining(timeout, clock), cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Nothing printed a prompt by itself (e.g. "press Enter to activate"): ask once.
                    await Console.WriteLineAsync(string.Empty, cancellationToken).ConfigureAwait(false);
                    found = await Console.ExpectAsync(_loginOrPrompt, Min(TimeSpan.FromSeconds(10), PromptTimeout), cancellationToken).ConfigureAwait(false);
                }
            }

            found = await SettleAsync(_loginOrPrompt, found, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            var what = _config.Login is null ? $"shell prompt /{_config.Prompt}/" : $"shell prompt /{_config.Prompt}/ or login prompt /{_config.Login.LoginPrompt}/";
            throw new DeviceUnreachableException(
                $"{DeviceName}: no {what} on its console ({ConsoleName}) within {timeout.TotalSeconds:0.#} s; check shell.prompt in devices.yml and that the board boots. {e.Message}", e);
        }

        if (found.Groups["login"].Success)
        {
            var prompt = await _login!.LogInAsync(Console, PromptTimeout, cancellationToken).ConfigureAwait(false);
            await SettleAsync(_prompt, prompt, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await Console.WriteLineAsync(ConsoleCommandScript.Setup, cancellationToken).ConfigureAwait(false);
            await SyncAsync(Min(Remaining(timeout, clock) + TimeSpan.FromSeconds(5), PromptTimeout), cancellationToken).ConfigureAwait(false);
            var probe = NewId();
            await Console.WriteLineAsync(ConsoleCommandScript.SetsidProbe(probe), cancellationToken).ConfigureAwait(false);
            var answer = await Console.ExpectAsync(
                new Regex($"{ConsoleCommandScript.ReadyTag}{probe}_(?<setsid>[01])\n", RegexOptions.CultureInvariant), PromptTimeout, cancellationToken).ConfigureAwait(false);
            _setsid = answer.Groups["setsid"].Value == "1";
            await Console.ExpectAsync(_prompt, PromptTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new DeviceUnreachableException(
                $"{DeviceName}: the shell on its console ({ConsoleName}) does not run commands after the prompt appeared; check shell.prompt in devices.yml. {e.Message}", e);
        }

        _ready = true;
    }

    /// <summary>Takes the last of several prompts printed in a row (e.g. one per newline sent), so that none is left for later.</summary>
    private async Task<Match> SettleAsync(Regex pattern, Match found, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                found = await Console.ExpectAsync(pattern, TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return found;
            }
        }
    }
}
