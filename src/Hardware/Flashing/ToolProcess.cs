using System.Diagnostics;

namespace DeviceTest.Hardware.Flashing;

/// <summary>Runs a short local program (xz --list) to completion and keeps its output.</summary>
internal static class ToolProcess
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments, redirectInput: false);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    public static Process Start(string program, IReadOnlyList<string> arguments, bool redirectInput)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
    }
}
