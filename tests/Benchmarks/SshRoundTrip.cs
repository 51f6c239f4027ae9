using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Benchmarks;

/// <summary>
/// Command round trips against the lab's sshd, in one run: N <c>true</c> commands through SshDevice's persistent
/// session, through <c>ssh host true</c> (a new connection each), and through <c>ssh</c> over a ControlMaster
/// (a new channel each). Prints per-command milliseconds and ratios.
/// </summary>
internal static class SshRoundTrip
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length == 2 && args[0] == "--count" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        await using var board = await SshBoard.StartAsync();
        var config = board.CreateDeviceConfig("bench");
        var ssh = config.Ssh!;
        var common = new List<string>
        {
            "-o", "BatchMode=yes", "-i", board.IdentityFile, "-o", "IdentitiesOnly=yes",
            "-p", board.Port.ToString(CultureInfo.InvariantCulture), "-l", board.User,
        };
        foreach (var (key, value) in ssh.Options)
        {
            common.AddRange(["-o", key + "=" + value]);
        }

        var rows = new List<(string Name, int Count, TimeSpan Total)>();

        await using (var device = new SshDevice(config))
        {
            await device.RunAsync(CommandRequest.Shell("true"), CancellationToken.None); // connect + session start
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var result = await device.RunAsync(CommandRequest.Shell("true"), CancellationToken.None);
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException("SshDevice: true failed");
                }
            }

            rows.Add(("SshDevice (persistent session)", count, stopwatch.Elapsed));
        }

        // New processes are slow: fewer of them give the same per-command figure.
        var processCount = Math.Max(10, count / 4);
        var controlDirectory = Directory.CreateTempSubdirectory("dt-bench-").FullName;
        var control = Path.Combine(controlDirectory, "%C");
        try
        {
            await RunSshAsync([.. common, "-o", "ControlMaster=yes", "-o", "ControlPath=" + control, "-o", "ControlPersist=60", "-f", "-N", board.Host]);
            await RunSshAsync([.. common, "-o", "ControlPath=" + control, board.Host, "true"]);
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < processCount; i++)
            {
                await RunSshAsync([.. common, "-o", "ControlMaster=no", "-o", "ControlPath=" + control, board.Host, "true"]);
            }

            rows.Add(("ssh over ControlMaster (new channel)", processCount, stopwatch.Elapsed));
            await RunSshAsync([.. common, "-o", "ControlPath=" + control, "-O", "exit", board.Host]);
        }
        finally
        {
            Directory.Delete(controlDirectory, recursive: true);
        }

        {
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < processCount; i++)
            {
                await RunSshAsync([.. common, "-o", "ControlPath=none", board.Host, "true"]);
            }

            rows.Add(("plain ssh host true (new connection)", processCount, stopwatch.Elapsed));
        }

        var plain = rows[^1].Total.TotalMilliseconds / rows[^1].Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ssh round trip: 'true' against sshd on 127.0.0.1:{board.Port} ({Environment.ProcessorCount} cores)"));
        Console.WriteLine();
        Console.WriteLine($"{"method",-40} {"commands",9} {"ms/command",11} {"vs plain ssh",13}");
        foreach (var (name, n, total) in rows)
        {
            var each = total.TotalMilliseconds / n;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} {n,9} {each,11:F2} {plain / each,12:F1}x"));
        }

        var session = rows[0].Total.TotalMilliseconds / rows[0].Count;
        var channel = rows[1].Total.TotalMilliseconds / rows[1].Count;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"persistent session vs new multiplexed channel: {channel / session:F1}x cheaper"));
        return 0;
    }

    private static async Task RunSshAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ssh")
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

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await stdout;
        var error = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh failed ({process.ExitCode}): {error}");
        }
    }
}
