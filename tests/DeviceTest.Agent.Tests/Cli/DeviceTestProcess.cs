using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>
/// The built <c>devicetest</c> (<see cref="DevicetestBinary"/>: the dll copied next to the tests by the project
/// reference, run with <c>dotnet exec</c>, or the native executable CI names), run as a real process. Output is read as it comes, so a test can wait for a line and then send a signal.
/// </summary>
internal sealed class DeviceTestProcess : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly BlockingCollection<string> _lines = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DeviceTestProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    /// <summary>Standard output so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Runs <c>devicetest ARGS</c> to the end (3 minutes at most) in <paramref name="workingDirectory"/>.</summary>
    public static async Task<CliResult> RunAsync(
        string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        using var process = Start(workingDirectory, args, environment);
        return await process.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>Starts <c>devicetest ARGS</c> (SIGINT not ignored, whatever the test host inherited).</summary>
    public static DeviceTestProcess Start(
        string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };

        var command = DevicetestBinary.CommandLine(DotnetHost);
        info.FileName = command[0];
        foreach (var word in command.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Plain, stable output: no terminal, no colours, no telemetry banners.
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["NO_COLOR"] = "1";
        info.Environment.Remove("DEVICETEST_DEVICES");
        info.Environment.Remove("DEVICETEST_DEBUG");

        // Runs in one work folder share device leases (lock files there); tests in other folders run side by side.
        info.Environment["DEVICETEST_LEASES"] = Path.Combine(workingDirectory, ".leases");
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(name);
                }
                else
                {
                    info.Environment[name] = value;
                }
            }
        }

        // Tests interrupt devicetest with SIGINT: it must not inherit an ignored SIGINT from the test run.
        Interruptible.ResetSigint(info);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new DeviceTestProcess(process);
        process.OutputDataReceived += (_, e) => started.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => started.OnLine(e.Data, isError: true);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>The resident set size of the process (VmRSS), in KiB.</summary>
    public long ResidentKilobytes()
    {
        var line = File.ReadLines($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/status")
            .First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for a stdout line that satisfies <paramref name="match"/>; fails the test after the timeout.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
            {
                if (_lines.IsCompleted)
                {
                    Assert.Fail($"devicetest ended before {what}.\nstdout:\n{Stdout}\nstderr:\n{Stderr()}");
                }

                if (DateTime.UtcNow >= deadline)
                {
                    Assert.Fail($"no {what} within {timeout}.\nstdout:\n{Tail(Stdout)}\nstderr:\n{Stderr()}");
                }

                continue;
            }

            if (match(line))
            {
                return line;
            }
        }
    }

    /// <summary>Sends a signal (INT, TERM) with kill(1).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", name, Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.AreEqual(0, kill.ExitCode, $"kill -s {name} {Id} failed");
    }

    /// <summary>Waits for the end (killing the process tree after <paramref name="timeout"/>, failing the test).</summary>
    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"devicetest did not end within {timeout}.\nstdout:\n{Tail(Stdout)}\nstderr:\n{Stderr()}");
        }

        return new CliResult(_process.ExitCode, Stdout, Stderr());
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
        _lines.Dispose();
    }

    /// <summary>The dotnet host that runs the dll (the one running the tests, else the first on PATH).</summary>
    internal static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : LabRequirement.FindProgram("dotnet") ?? "dotnet";

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];

    private string Stderr()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }

    private void OnLine(string? line, bool isError)
    {
        var buffer = isError ? _stderr : _stdout;
        if (line is null)
        {
            (isError ? _stderrClosed : _stdoutClosed).TrySetResult();
            if (!isError)
            {
                try
                {
                    _lines.CompleteAdding();
                }
                catch (ObjectDisposedException)
                {
                }
            }

            return;
        }

        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }

        if (!isError)
        {
            try
            {
                _lines.Add(line);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // Disposed: nobody waits for lines any more.
            }
        }
    }
}
