using System.Diagnostics;
using DeviceTest.Lab;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Ssh;

/// <summary>Helpers for the SSH tests: the lab requirement, and looking at processes on the "device" (this host).</summary>
internal static class SshLab
{
    public static async Task<SshBoard> StartBoardAsync()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid", "pgrep");
        return await SshBoard.StartAsync();
    }

    /// <summary>Disposes a test class's device, then its board (either may be null when start-up failed).</summary>
    public static async Task StopAsync(SshDevice? device, SshBoard? board)
    {
        if (device is not null)
        {
            await device.DisposeAsync();
        }

        if (board is not null)
        {
            await board.DisposeAsync();
        }
    }

    /// <summary>True while a process whose command line contains <paramref name="pattern"/> runs here.</summary>
    public static bool ProcessRuns(string pattern)
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", pattern]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        pgrep.StandardOutput.ReadToEnd();
        pgrep.WaitForExit();
        return pgrep.ExitCode == 0;
    }

    /// <summary>Waits up to <paramref name="within"/> for no process matching <paramref name="pattern"/> to remain.</summary>
    public static async Task<bool> GoneAsync(string pattern, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < within)
        {
            if (!ProcessRuns(pattern))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    public static void Kill(string pattern)
    {
        using var pkill = Process.Start(new ProcessStartInfo("pkill", ["-KILL", "-f", pattern]) { UseShellExecute = false })!;
        pkill.WaitForExit();
    }

    /// <summary>A marker number unique to this test run, for "sleep 1000.NNN" commands found again with pgrep.</summary>
    public static string UniqueSleep() => "1000." + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
