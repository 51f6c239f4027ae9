using System.ComponentModel;
using System.Diagnostics;

namespace DeviceTest.Hardware.Local;

/// <summary>
/// Runs commands as local processes, each in its own session and process group (started through util-linux's
/// <c>setsid --wait</c>, so the group id is the child's pid). Argv lists are exec'd as they are; shell strings run
/// under <c>/bin/sh -c</c>. Standard input is empty.
/// </summary>
/// <remarks>
/// The process group is the unit of cleanup: on timeout or cancellation it gets SIGTERM, then SIGKILL after
/// <see cref="CommandRequest.KillGracePeriod"/>. When the command exits by itself, whatever it left running in its
/// group (background jobs) is terminated the same way, so no test leaves processes behind. A program that moves
/// itself to another session (a daemon) is not followed.
/// </remarks>
public static class LocalProcessRunner
{
    /// <summary>How long to wait for output pipes to close after the process group is gone.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Longer limits than this (timers stop at ~24.8 days) mean no limit.</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(24);

    private static readonly Lazy<string> SetsidPath = new(FindSetsid);

    public static async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        if (request.WorkingDirectory is { } directory && !Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"local: cannot run '{request.Command}': working directory '{directory}' does not exist.");
        }

        var startInfo = CreateStartInfo(request);
        using var process = new Process { StartInfo = startInfo };
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"local: could not start '{request.Command}' through {startInfo.FileName}: {e.Message}. " +
                "DeviceTest needs setsid from util-linux on the machine that runs local commands.", e);
        }

        var processGroupId = process.Id;
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command already exited and closed its end.
        }

        var gate = new Lock();
        var observer = request.Output;
        void Deliver(OutputKind kind, ReadOnlySpan<char> text)
        {
            if (observer is null)
            {
                return;
            }

            lock (gate)
            {
                observer.OnOutput(kind, text);
            }
        }

        using var drainCancel = new CancellationTokenSource();
        var stdout = new OutputPump(process.StandardOutput.BaseStream, OutputKind.Stdout, request.MaxCapturedBytes, Deliver);
        var stderr = new OutputPump(process.StandardError.BaseStream, OutputKind.Stderr, request.MaxCapturedBytes, Deliver);
        var pumps = Task.WhenAll(
            Task.Run(() => stdout.RunAsync(drainCancel.Token), CancellationToken.None),
            Task.Run(() => stderr.RunAsync(drainCancel.Token), CancellationToken.None));

        var timedOut = false;
        var cancelled = false;
        using (var timeout = new CancellationTokenSource())
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            if (request.Timeout is { } limit && limit != Timeout.InfiniteTimeSpan && limit <= MaxTimeout)
            {
                timeout.CancelAfter(limit < TimeSpan.Zero ? TimeSpan.Zero : limit);
            }

            try
            {
                await process.WaitForExitAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                cancelled = cancellationToken.IsCancellationRequested;
                timedOut = !cancelled;
            }
        }

        // Timeout, cancel, or leftovers after a normal exit: the whole group goes.
        if (timedOut || cancelled || ProcessGroup.Exists(processGroupId))
        {
            await ProcessGroup.TerminateAsync(processGroupId, request.KillGracePeriod);
        }

        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // SIGKILL'd but not reaped (uninterruptible sleep); report what we have.
        }

        drainCancel.CancelAfter(DrainTimeout);
        await pumps;

        if (cancelled)
        {
            throw new OperationCanceledException(
                $"local: '{request.Command}' was cancelled; its process group was killed.", cancellationToken);
        }

        return new CommandResult
        {
            ExitCode = timedOut || !process.HasExited ? -1 : process.ExitCode,
            Stdout = stdout.Text,
            Stderr = stderr.Text,
            Duration = TimeProvider.System.GetElapsedTime(started),
            TimedOut = timedOut,
            OutputTruncated = stdout.Truncated || stderr.Truncated,
        };
    }

    private static ProcessStartInfo CreateStartInfo(CommandRequest request)
    {
        var startInfo = new ProcessStartInfo(SetsidPath.Value)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("--wait");
        startInfo.ArgumentList.Add("--");
        if (request.Command.Arguments is { } arguments)
        {
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }
        }
        else
        {
            startInfo.ArgumentList.Add("/bin/sh");
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add(request.Command.ShellText!);
        }

        if (request.WorkingDirectory is not null)
        {
            startInfo.WorkingDirectory = request.WorkingDirectory;
        }

        foreach (var (name, value) in request.Environment)
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    private static string FindSetsid()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/bin", "/usr/sbin", "/sbin"])
            .Select(dir => Path.Combine(dir, "setsid"));
        return candidates.FirstOrDefault(File.Exists) ?? "setsid";
    }
}
