using System.Collections.Concurrent;
using System.Diagnostics;

namespace DeviceTest.Hardware.Qemu;

/// <summary>
/// Starts helper processes (QEMU, lab daemons) that die with this process: on Linux they run under
/// <c>setpriv --pdeathsig SIGKILL</c> (util-linux), so even a SIGKILLed test run leaves none behind.
/// </summary>
/// <remarks>
/// The kernel sends the parent-death signal when the <em>thread</em> that forked the child exits, not the
/// process. Children are therefore forked from one dedicated thread that lives as long as this process.
/// Where setpriv is missing (or not on Linux) the process starts plainly; <see cref="IsTied"/> tells.
/// </remarks>
public static class TiedProcess
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = [];
    private static readonly string[] SetprivPaths = ["/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv", "/sbin/setpriv"];
    private static readonly Lazy<string?> Setpriv = new(FindSetpriv);
    private static readonly Lazy<Thread> Launcher = new(StartLauncher);

    /// <summary>True when processes started here are killed when this process dies.</summary>
    public static bool IsTied => Setpriv.Value is not null;

    /// <summary>
    /// Starts <paramref name="info"/> (FileName + ArgumentList; UseShellExecute must be false) tied to this
    /// process. The returned process is the program itself (setpriv execs it), so its id is the program's.
    /// </summary>
    public static Task<Process> StartAsync(ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.UseShellExecute)
        {
            throw new ArgumentException("UseShellExecute must be false.", nameof(info));
        }

        var setpriv = Setpriv.Value;
        var start = info;
        if (setpriv is not null)
        {
            start = new ProcessStartInfo(setpriv)
            {
                UseShellExecute = false,
                RedirectStandardInput = info.RedirectStandardInput,
                RedirectStandardOutput = info.RedirectStandardOutput,
                RedirectStandardError = info.RedirectStandardError,
                WorkingDirectory = info.WorkingDirectory,
                CreateNoWindow = true,
            };
            foreach (var (key, value) in info.Environment)
            {
                start.Environment[key] = value;
            }

            start.ArgumentList.Add("--pdeathsig");
            start.ArgumentList.Add("SIGKILL");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(info.FileName);
            foreach (var a in info.ArgumentList)
            {
                start.ArgumentList.Add(a);
            }
        }

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Launcher.Value;
        Requests.Add((start, started));
        return started.Task;
    }

    private static Thread StartLauncher()
    {
        var thread = new Thread(Launch) { IsBackground = true, Name = "DeviceTest tied-process launcher" };
        thread.Start();
        return thread;
    }

    private static void Launch()
    {
        foreach (var (info, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                var process = Process.Start(info)
                    ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
                started.TrySetResult(process);
            }
            catch (Exception e)
            {
                started.TrySetException(e);
            }
        }
    }

    private static string? FindSetpriv()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        return SetprivPaths.FirstOrDefault(File.Exists);
    }
}
