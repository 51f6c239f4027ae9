using System.Diagnostics;

namespace DeviceTest.Benchmarks;

/// <summary>Runs a program to its end, for the benchmarks: exit code, stdout and stderr; and the machine's load.</summary>
internal static class BenchmarkProcess
{
    /// <summary>The 1-minute load average (printed with every number: the machine may be shared).</summary>
    public static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>CPU time the whole machine spent busy so far (user, nice, system, irq, softirq in /proc/stat), to show
    /// how much work a step took on all cores; zero where there is no /proc/stat.</summary>
    public static TimeSpan BusyCpu()
    {
        if (!File.Exists("/proc/stat"))
        {
            return TimeSpan.Zero;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long ticks = 0;
        foreach (var index in new[] { 1, 2, 3, 6, 7 })
        {
            ticks += long.Parse(fields[index], System.Globalization.CultureInfo.InvariantCulture);
        }

        // USER_HZ is 100 on every Linux architecture .NET runs on.
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a program; a non-zero exit code throws with its stderr.</summary>
    public static async Task CheckedAsync(string program, IEnumerable<string> arguments)
    {
        var (code, _, stderr) = await RunAsync(program, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{program} failed ({code}): {stderr}");
        }
    }
}
