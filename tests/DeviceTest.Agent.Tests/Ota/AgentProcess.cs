using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Text;
using DeviceTest.Agent.Tests.Cli;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// A running <c>devicetest agent</c> process; its log is collected as it runs, by a reader that may lag behind the
/// agent: a line the agent wrote before it answered an HTTP request is not necessarily in <see cref="Log"/> when the
/// answer arrives, so wait for lines (<see cref="WaitForLogAsync"/>) rather than reading <see cref="Log"/> at once.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly Lock _gate = new();

    private AgentProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts devicetest (<see cref="DevicetestBinary"/>) with <paramref name="arguments"/>.</summary>
    public static AgentProcess Start(string workingDirectory, IEnumerable<string> arguments)
    {
        var command = DevicetestBinary.CommandLine();
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var word in command.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_TieredPGO"] = "0";
        return new AgentProcess(Process.Start(start)!);
    }

    public async Task WaitForLogAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!regex.IsMatch(Log))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"the agent did not log /{pattern}/ in time. Its log:\n{Log}");
            }

            if (_process.HasExited)
            {
                await Task.Delay(200);
                if (!regex.IsMatch(Log))
                {
                    Assert.Fail($"the agent exited ({_process.ExitCode}) without logging /{pattern}/. Its log:\n{Log}");
                }
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for <paramref name="text"/> (not a pattern) in the log.</summary>
    public Task WaitForLogTextAsync(string text, TimeSpan? timeout = null) => WaitForLogAsync(Regex.Escape(text), timeout);

    public Task WaitForListeningAsync() => WaitForLogAsync("INFO +listening on ");

    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as docker stop or systemd would send.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.AppendLine(line);
        }
    }
}
