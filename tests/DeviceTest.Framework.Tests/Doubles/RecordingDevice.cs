using DeviceTest.Framework.Running;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Local;

namespace DeviceTest.Framework.Tests.Doubles;

/// <summary>
/// A scriptable device. It records every command and reboot it is asked for (unless <see cref="Record"/> is off),
/// answers the runner's housekeeping commands (mktemp work directory, rm -rf) with real local directories, and
/// answers test commands from its script (default: exit 0, no output).
/// </summary>
public sealed class RecordingDevice : IDevice
{
    private readonly Dictionary<string, Queue<ScriptedRun>> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScriptedRun> _always = new(StringComparer.Ordinal);
    private readonly HashSet<string> _liveWorkDirs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public RecordingDevice(string name = "double", params string[] tags)
    {
        Name = name;
        Tags = tags;
    }

    /// <summary>
    /// Off: work directories are made-up paths and file transfers do nothing (fast soak runs; scripted result
    /// files and artifacts are then ignored).
    /// </summary>
    public bool RealFiles
    {
        get => Files is LocalFileTransfer;
        init => Files = value ? new LocalFileTransfer() : new NoFileTransfer();
    }

    public string Name { get; }

    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<string> Transports { get; } = ["double"];

    public IFileTransfer Files { get; private init; } = new LocalFileTransfer();

    public IDeviceConsole? Console => null;

    public IPower? Power => null;

    /// <summary>Off: keep counts only (soak tests).</summary>
    public bool Record { get; set; } = true;

    /// <summary>"run &lt;command&gt;", "reboot &lt;command&gt;", "ensure-ready", in order (test commands and reboots only).</summary>
    public List<string> Events { get; } = [];

    /// <summary>The requests of test commands (not housekeeping), in order.</summary>
    public List<CommandRequest> TestRequests { get; } = [];

    public int TestCommandCount { get; private set; }

    /// <summary>Work directories made and not yet removed.</summary>
    public int LiveWorkDirectories
    {
        get
        {
            lock (_gate)
            {
                return _liveWorkDirs.Count;
            }
        }
    }

    /// <summary>Reboots answer this (default: rebooted in 1 s).</summary>
    public Func<CommandLine?, RebootOutcome> RebootBehaviour { get; set; } = _ => new RebootOutcome
    {
        Rebooted = true,
        Details = "went down, shell ready",
        Duration = TimeSpan.FromSeconds(1),
    };

    public Exception? EnsureReadyThrows { get; set; }

    public List<TimeSpan> RebootTimeouts { get; } = [];

    /// <summary>Every run of <paramref name="command"/> (its shell form) does this.</summary>
    public void Always(string command, ScriptedRun run) => _always[command] = run;

    /// <summary>The next runs of <paramref name="command"/> do these, in order; then <see cref="Always"/> or default.</summary>
    public void Next(string command, params ScriptedRun[] runs)
    {
        if (!_queued.TryGetValue(command, out var queue))
        {
            _queued[command] = queue = new Queue<ScriptedRun>();
        }

        foreach (var run in runs)
        {
            queue.Enqueue(run);
        }
    }

    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (request.Command.ShellText == WorkDirectoryTestRunner.WorkDirectoryCommand && !RealFiles)
        {
            return Result(0, "/nonexistent/devicetest-double/work\n", string.Empty);
        }

        if (request.Command.ShellText == WorkDirectoryTestRunner.WorkDirectoryCommand)
        {
            var dir = Directory.CreateTempSubdirectory("devicetest-double-").FullName;
            Directory.CreateDirectory(Path.Combine(dir, "results"));
            Directory.CreateDirectory(Path.Combine(dir, "artifacts"));
            lock (_gate)
            {
                _liveWorkDirs.Add(dir);
            }

            return Result(0, dir + "\n", string.Empty);
        }

        if (request.Command.Arguments is ["rm", "-rf", "--", var path])
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }

            lock (_gate)
            {
                _liveWorkDirs.Remove(path);
            }

            return Result(0, string.Empty, string.Empty);
        }

        var text = request.Command.ToShellString();
        TestCommandCount++;
        if (Record)
        {
            Events.Add("run " + text);
            TestRequests.Add(request);
        }

        var script = _queued.TryGetValue(text, out var queue) && queue.Count > 0
            ? queue.Dequeue()
            : _always.GetValueOrDefault(text) ?? new ScriptedRun();
        script.OnStart?.Invoke();
        if (script.Throws is not null)
        {
            throw script.Throws;
        }

        if (RealFiles && request.Environment.TryGetValue("TEST_DIR", out var testDir))
        {
            Write(testDir, script.ResultFiles);
            Write(request.Environment["ARTIFACTS_DIR"], script.Artifacts);
        }

        if (script.Stdout.Length > 0)
        {
            request.Output?.OnOutput(OutputKind.Stdout, script.Stdout);
        }

        if (script.Stderr.Length > 0)
        {
            request.Output?.OnOutput(OutputKind.Stderr, script.Stderr);
        }

        if (script.Hangs)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (script.Delay > TimeSpan.Zero)
        {
            await Task.Delay(script.Delay, cancellationToken);
        }

        return new CommandResult
        {
            ExitCode = script.TimesOut ? -1 : script.ExitCode,
            Stdout = script.Stdout,
            Stderr = script.Stderr,
            Duration = script.Delay,
            TimedOut = script.TimesOut,
        };
    }

    public Task EnsureReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Events.Add("ensure-ready");
        return EnsureReadyThrows is null ? Task.CompletedTask : Task.FromException(EnsureReadyThrows);
    }

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Events.Add("reboot " + command);
        RebootTimeouts.Add(timeout);
        return Task.FromResult(RebootBehaviour(command));
    }

    /// <summary>Removes work directories the runner left (a lost or unreachable device keeps them).</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            foreach (var dir in _liveWorkDirs.Where(Directory.Exists))
            {
                Directory.Delete(dir, recursive: true);
            }

            _liveWorkDirs.Clear();
        }

        return ValueTask.CompletedTask;
    }

    private static CommandResult Result(int exitCode, string stdout, string stderr) => new()
    {
        ExitCode = exitCode,
        Stdout = stdout,
        Stderr = stderr,
        Duration = TimeSpan.Zero,
    };

    private static void Write(string root, IReadOnlyDictionary<string, string> files)
    {
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    private sealed class NoFileTransfer : IFileTransfer
    {
        public Task PutAsync(string localPath, string remotePath, int? mode, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task GetAsync(string remotePath, string localPath, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task GetDirectoryAsync(string remoteDirectory, string localDirectory, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }
}
