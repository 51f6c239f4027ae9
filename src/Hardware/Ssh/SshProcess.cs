using System.Diagnostics;
using System.Text;

namespace DeviceTest.Hardware.Ssh;

/// <summary>Starts the OpenSSH client programs and runs short ones to completion.</summary>
internal static class SshProcess
{
    public static Process Start(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DeviceUnreachableException(
                $"cannot run the OpenSSH client '{program}': {e.Message}. Install OpenSSH's client (e.g. apt-get install openssh-client).", e);
        }
    }

    /// <summary>
    /// Runs a program to completion with stdin from <paramref name="stdin"/> (or empty) and stdout into
    /// <paramref name="stdout"/> (or kept as text). Kills it on <paramref name="timeout"/> or cancellation.
    /// </summary>
    public static async Task<SshProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        TimeSpan? timeout,
        CancellationToken cancellationToken,
        Stream? stdin = null,
        Stream? stdout = null)
    {
        using var process = Start(program, arguments);
        var stderrTask = ReadLimitedAsync(process.StandardError.BaseStream, 64 * 1024);
        var stdoutTask = stdout is null
            ? ReadLimitedAsync(process.StandardOutput.BaseStream, 1024 * 1024)
            : CopyAsync(process.StandardOutput.BaseStream, stdout);
        var stdinTask = FeedAsync(process.StandardInput.BaseStream, stdin);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            limit.CancelAfter(t);
        }

        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            timedOut = !cancellationToken.IsCancellationRequested;
            await process.WaitForExitAsync(CancellationToken.None);
        }

        string stdoutText;
        try
        {
            stdoutText = await stdoutTask;
        }
        catch (IOException)
        {
            stdoutText = string.Empty;
        }

        var stderrText = await stderrTask;
        try
        {
            await stdinTask;
        }
        catch (IOException)
        {
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new SshProcessResult(timedOut ? -1 : process.ExitCode, stdoutText, stderrText, timedOut);
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: false);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private static async Task<string> ReadLimitedAsync(Stream stream, int limit)
    {
        var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            var room = limit - (int)kept.Length;
            if (room > 0)
            {
                kept.Write(buffer, 0, Math.Min(room, read));
            }
        }

        return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }

    private static async Task<string> CopyAsync(Stream from, Stream to)
    {
        var bulk = BulkPipe.Reader(from);
        await using (bulk == from ? null : bulk)
        {
            await bulk.CopyToAsync(to);
        }

        return string.Empty;
    }

    private static async Task FeedAsync(Stream processStdin, Stream? data)
    {
        try
        {
            if (data is not null)
            {
                var bulk = BulkPipe.Writer(processStdin);
                await using (bulk == processStdin ? null : bulk)
                {
                    await data.CopyToAsync(bulk);
                    await bulk.FlushAsync();
                }
            }
        }
        finally
        {
            await processStdin.DisposeAsync();
        }
    }
}
