using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DeviceTest.Hardware.Ssh;

/// <summary>
/// One ssh channel running <c>/bin/sh</c> on the device, fed framed commands on stdin (see <see cref="CommandFraming"/>).
/// Runs one command at a time. When it breaks (EOF, unframed end) it is dead and a new one is started.
/// </summary>
internal sealed class SshSession : IAsyncDisposable
{
    private static readonly TimeSpan EndWait = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly MarkerReader _stdout;
    private readonly MarkerReader _stderr;
    private readonly SshArguments _arguments;
    private bool _dead;
    private bool _started;

    private SshSession(SshArguments arguments, Process process, bool useSetsid)
    {
        _arguments = arguments;
        _process = process;
        _stdout = new MarkerReader(process.StandardOutput.BaseStream);
        _stderr = new MarkerReader(process.StandardError.BaseStream);
        UseSetsid = useSetsid;
    }

    public bool UseSetsid { get; private set; }

    public bool IsAlive => !_dead && !_process.HasExited;

    /// <summary>Opens a persistent session on the master and waits for the shell's ready line.</summary>
    public static async Task<SshSession> StartAsync(SshArguments arguments, CancellationToken cancellationToken)
    {
        var process = SshProcess.Start("ssh", arguments.Command("exec /bin/sh"));
        var session = new SshSession(arguments, process, useSetsid: true);
        try
        {
            var token = CommandFraming.Create().Token;
            await session.WriteAsync(CommandFraming.ReadyProbe(token), cancellationToken);
            var ready = session.ReadReadyAsync(token);
            var finished = await Task.WhenAny(ready, Task.Delay(arguments.Config.ConnectTimeout + TimeSpan.FromSeconds(10), cancellationToken));
            if (finished != ready)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw SshErrors.Unreachable(arguments, "the remote shell did not answer");
            }

            var setsid = await ready;
            if (setsid is null)
            {
                SshProcess.Kill(process);
                var error = new StringBuilder();
                await session._stderr.ReadUntilAsync([[0]], b => error.Append(Encoding.UTF8.GetString(b)));
                throw SshErrors.Unreachable(arguments, error.Length > 0 ? error.ToString() : "the session closed at once (is /bin/sh there?)");
            }

            session.UseSetsid = setsid == "1";
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a one-shot channel that runs just <paramref name="request"/> (stdin from <paramref name="stdin"/>).</summary>
    public static async Task<CommandResult> RunOnNewChannelAsync(
        SshArguments arguments, CommandRequest request, Stream? stdin, Func<int, string, Task> signalGroup, CancellationToken cancellationToken)
    {
        var framing = CommandFraming.Create();
        var line = framing.Build(request, useSetsid: true, stdinFromChannel: true);
        var remote = "if command -v setsid >/dev/null 2>&1; then :; else setsid() { \"$@\"; }; fi; " + line;

        // The command line (with its environment values) goes first on stdin, never into an argv here or there.
        var process = SshProcess.Start("ssh", arguments.Command(framing.NewChannelReader()));
        await using var session = new SshSession(arguments, process, useSetsid: true);
        var feed = Task.Run(
            async () =>
            {
                try
                {
                    var head = Encoding.UTF8.GetBytes(remote + framing.NewChannelEnd + "\n");
                    await process.StandardInput.BaseStream.WriteAsync(head, cancellationToken);
                    if (stdin is not null)
                    {
                        await stdin.CopyToAsync(process.StandardInput.BaseStream, cancellationToken);
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                }
                finally
                {
                    try
                    {
                        process.StandardInput.Close();
                    }
                    catch (IOException)
                    {
                    }
                }
            },
            CancellationToken.None);
        var (result, _) = await session.ReadFramedAsync(framing, request, signalGroup, cancellationToken);
        await feed;
        return result;
    }

    /// <summary>Runs one framed command in this session; <paramref name="signalGroup"/> sends a signal ("TERM",
    /// "KILL") to a remote process group through another channel.</summary>
    /// <param name="request">The command.</param>
    /// <param name="signalGroup">Sends a signal to a remote process group.</param>
    /// <param name="cancellationToken">Stops the command (its process group is killed).</param>
    /// <param name="stdout">Receives the command's stdout as raw bytes instead of the request's observer (binary
    /// streams such as tar); the result's stdout is then empty.</param>
    public async Task<CommandResult> RunAsync(
        CommandRequest request, Func<int, string, Task> signalGroup, CancellationToken cancellationToken, Action<ReadOnlySpan<byte>>? stdout = null)
    {
        var framing = CommandFraming.Create();
        var (result, _) = await SendAsync(framing, framing.Build(request, UseSetsid), request, signalGroup, stdout, cancellationToken);
        return result;
    }

    /// <summary>
    /// Runs a test's command in the work directory of <paramref name="names"/>, removing
    /// <paramref name="removeFirst"/> before (see <see cref="CommandFraming.BuildInWorkDirectory"/>). Returns the result
    /// and the report (<c>&lt;flag&gt; &lt;path&gt;</c>), which is null when the frame never ended.
    /// </summary>
    public Task<(CommandResult Result, string? Report)> RunInWorkDirectoryAsync(
        CommandRequest request, WorkDirectoryNames names, IReadOnlyList<string> removeFirst, Func<int, string, Task> signalGroup, CancellationToken cancellationToken)
    {
        var framing = CommandFraming.Create();
        var line = framing.BuildInWorkDirectory(request, names, removeFirst, UseSetsid);
        return SendAsync(framing, line, request, signalGroup, stdout: null, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _dead = true;
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            SshProcess.Kill(_process);
        }

        _process.Dispose();
    }

    private async Task<(CommandResult Result, string? Report)> SendAsync(
        CommandFraming framing,
        string line,
        CommandRequest request,
        Func<int, string, Task> signalGroup,
        Action<ReadOnlySpan<byte>>? stdout,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Never cancel half a line: the shell would run a torn command.
        await WriteAsync(line, CancellationToken.None);
        return await ReadFramedAsync(framing, request, signalGroup, cancellationToken, stdout);
    }

    private async Task<(CommandResult Result, string? Report)> ReadFramedAsync(
        CommandFraming framing,
        CommandRequest request,
        Func<int, string, Task> signalGroup,
        CancellationToken cancellationToken,
        Action<ReadOnlySpan<byte>>? stdout = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var capture = new OutputCapture(request.Output, request.MaxCapturedBytes);
        var pid = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdoutTask = ReadStdoutAsync(framing, stdout ?? capture.Stdout);
        var stderrTask = ReadStderrAsync(framing, capture, pid);
        var both = Task.WhenAll(stdoutTask, stderrTask);

        var timedOut = false;
        var cancelled = false;
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            if (request.Timeout is { } timeout)
            {
                limit.CancelAfter(timeout);
            }

            try
            {
                await both.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                cancelled = cancellationToken.IsCancellationRequested;
                timedOut = !cancelled;
            }
            catch (EndOfStreamException)
            {
                // The session ended mid-frame: handled below as a lost device.
            }
        }

        if (timedOut || cancelled)
        {
            await StopAsync(both, pid.Task, request.KillGracePeriod, signalGroup);
        }

        capture.Complete();
        var endLine = both.IsCompletedSuccessfully ? await stdoutTask : null;
        var words = endLine?.Trim().Split(' ', 2);
        int? exitCode = words is not null && int.TryParse(words[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;
        if (exitCode is null)
        {
            _dead = true;
            SshProcess.Kill(_process);
        }

        if (cancelled)
        {
            throw new OperationCanceledException(
                $"'{request.Command}' on device '{_arguments.DeviceName}' was cancelled; its process group was killed.", cancellationToken);
        }

        if (exitCode is null && !timedOut && !_started)
        {
            throw new SessionClosedException($"the ssh session of device '{_arguments.DeviceName}' closed before '{request.Command}' started");
        }

        if (exitCode is null && !timedOut)
        {
            var last = SshErrors.MainLine(capture.StderrText);
            throw new DeviceLostException(
                $"device lost: '{_arguments.DeviceName}' ({SshErrors.Describe(_arguments)}) stopped answering while running '{request.Command}': {last}");
        }

        var result = new CommandResult
        {
            ExitCode = timedOut ? -1 : exitCode!.Value,
            Stdout = capture.StdoutText,
            Stderr = capture.StderrText,
            Duration = stopwatch.Elapsed,
            TimedOut = timedOut,
            OutputTruncated = capture.Truncated,
        };
        return (result, exitCode is null ? null : words is [_, var report] ? report : string.Empty);
    }

    /// <summary>TERM the remote group, KILL it after the grace period, and wait for the frame to end.</summary>
    private async Task StopAsync(Task both, Task<int> pid, TimeSpan grace, Func<int, string, Task> signalGroup)
    {
        if (await Finishes(pid, EndWait) && await pid is > 0 and var id)
        {
            var target = UseSetsid ? -id : id;
            await signalGroup(target, "TERM");
            if (!await Finishes(both, grace))
            {
                await signalGroup(target, "KILL");
            }
        }

        if (!await Finishes(both, EndWait))
        {
            // The frame never ended: give up on this session (the next command gets a new one).
            _dead = true;
            SshProcess.Kill(_process);
            await Finishes(both, EndWait);
        }
    }

    private static async Task<bool> Finishes(Task task, TimeSpan within)
    {
        try
        {
            await task.WaitAsync(within);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception)
        {
            return task.IsCompleted;
        }
    }

    /// <summary>Reads one frame's stdout; returns the end marker's line (exit code and report), or null when the frame broke.</summary>
    private async Task<string?> ReadStdoutAsync(CommandFraming framing, Action<ReadOnlySpan<byte>> output)
    {
        _started = false;
        if (await _stdout.ReadUntilAsync([framing.Start], null) < 0 || await _stdout.ReadLineAsync() is null)
        {
            return null;
        }

        _started = true;
        if (await _stdout.ReadUntilAsync([framing.End], output) < 0)
        {
            return null;
        }

        return await _stdout.ReadLineAsync();
    }

    private async Task ReadStderrAsync(CommandFraming framing, OutputCapture capture, TaskCompletionSource<int> pid)
    {
        try
        {
            if (await _stderr.ReadUntilAsync([framing.Start], capture.Stderr) < 0 || await _stderr.ReadLineAsync() is null)
            {
                throw new EndOfStreamException();
            }

            var found = await _stderr.ReadUntilAsync([framing.Pid, framing.End], capture.Stderr);
            if (found == 0)
            {
                var line = await _stderr.ReadLineAsync();
                pid.TrySetResult(line is not null && int.TryParse(line.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : -1);
                found = await _stderr.ReadUntilAsync([framing.End], capture.Stderr) == 0 ? 1 : -1;
            }

            if (found < 0 || await _stderr.ReadLineAsync() is null)
            {
                throw new EndOfStreamException();
            }
        }
        finally
        {
            pid.TrySetResult(-1);
        }
    }

    private async Task<string?> ReadReadyAsync(string token)
    {
        if (await _stdout.ReadUntilAsync([CommandFraming.ReadyMarker(token)], null) < 0)
        {
            return null;
        }

        return (await _stdout.ReadLineAsync())?.Trim();
    }

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        try
        {
            var stream = _process.StandardInput.BaseStream;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        catch (IOException e)
        {
            _dead = true;
            throw new SessionClosedException($"the ssh session of device '{_arguments.DeviceName}' closed: {e.Message}", e);
        }
    }
}
