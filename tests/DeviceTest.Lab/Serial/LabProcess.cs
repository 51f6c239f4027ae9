using System.Diagnostics;

namespace DeviceTest.Lab.Serial;

/// <summary>Starts a lab program with its output in a file, and stops exactly that process (and its children).</summary>
internal sealed class LabProcess : IDisposable
{
    private readonly Process _process;

    private LabProcess(Process process, string logFile)
    {
        _process = process;
        LogFile = logFile;
    }

    public string LogFile { get; }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    public static LabProcess Start(string program, IReadOnlyList<string> arguments, string logFile, string workingDirectory)
    {
        // exec: the process we own is the program itself, its output goes to the log file, not to a pipe we must drain.
        var script = "exec \"$0\" \"$@\" >" + ShellQuote(logFile) + " 2>&1 </dev/null";
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        return new LabProcess(process, logFile);
    }

    public string ReadLog()
    {
        try
        {
            return File.ReadAllText(LogFile);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>Kills the process and its children (only the ones this fixture started), and waits for it.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            // It did not die in time; nothing more to do from here.
        }
    }

    public void Dispose() => _process.Dispose();

    /// <summary>
    /// Waits until something listens on 127.0.0.1:<paramref name="port"/>, without connecting (a probe connection
    /// would make ser2net open its device and refuse the next client for a moment).
    /// </summary>
    public static async Task WaitForPortAsync(int port, LabProcess process, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var local = "0100007F:" + port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited at start: {process.ReadLog()}");
            }

            var listening = (await File.ReadAllLinesAsync("/proc/net/tcp").ConfigureAwait(false))
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Any(fields => fields.Length > 3 && fields[1] == local && fields[3] == "0A");
            if (listening)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{what} does not listen on 127.0.0.1:{port}: {process.ReadLog()}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    public static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
