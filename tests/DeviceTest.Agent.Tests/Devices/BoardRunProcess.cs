using System.Diagnostics;
using System.Text;

namespace DeviceTest.Agent.Tests.Devices;

/// <summary>Runs the built <c>devicetest</c> (devicetest.dll next to this test assembly) as a process: <c>dotnet devicetest.dll ...</c>.</summary>
internal static class BoardRunProcess
{
    public static string DevicetestDll { get; } = Path.Combine(AppContext.BaseDirectory, "devicetest.dll");

    /// <summary>Runs devicetest with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<BoardRunResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        Assert.IsTrue(File.Exists(DevicetestDll), $"{DevicetestDll} is missing: the test project references src/Agent");
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(DevicetestDll);
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
