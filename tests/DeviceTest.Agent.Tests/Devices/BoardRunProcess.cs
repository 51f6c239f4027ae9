using System.Diagnostics;
using System.Text;
using DeviceTest.Agent.Tests.Cli;

namespace DeviceTest.Agent.Tests.Devices;

/// <summary>Runs the built <c>devicetest</c> (<see cref="DevicetestBinary"/>: devicetest.dll next to this test assembly, or the
/// native executable CI names) as a process.</summary>
internal static class BoardRunProcess
{
    /// <summary>Runs devicetest with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<BoardRunResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var command = DevicetestBinary.CommandLine();
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var word in command.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("DEVICETEST_DEVICES");

        // Device leases in lock files of this run's folder: board tests of other classes run side by side.
        info.Environment["DEVICETEST_LEASES"] = Path.Combine(workingDirectory, ".leases");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var readOut = PumpAsync(process.StandardOutput, stdout);
        var readErr = PumpAsync(process.StandardError, stderr);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAll(readOut, readErr);
            Assert.Fail($"devicetest {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s\nstdout:\n{stdout}\nstderr:\n{stderr}");
        }

        await Task.WhenAll(readOut, readErr);
        return new BoardRunResult(process.ExitCode, stdout.ToString(), stderr.ToString(), clock.Elapsed);
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}
