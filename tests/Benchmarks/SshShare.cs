using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Benchmarks;

/// <summary>
/// What sharing the ControlMaster saves the second process of a run (the test host after MSBuild's deploy): two
/// device objects for the same connection, one after the other, each connecting and running one command, as two
/// processes do. Shared (the default) against private masters (<c>DEVICETEST_SSH_SHARE=0</c>), with the default key
/// exchange, an 8192-bit DH one (<c>diffie-hellman-group18-sha512</c>), and a connection that takes 1 s longer to set
/// up (a ProxyCommand that sleeps first: a jump host, a VPN, or a small board whose key exchange and login take a
/// second). Prints medians and the logins sshd saw.
/// </summary>
internal static class SshShare
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length == 2 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        await using var board = await SshBoard.StartAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ssh-share: sshd on 127.0.0.1:{board.Port}, {Environment.ProcessorCount} cores, load {BenchmarkProcess.Load()}, median of {runs}"));
        Console.WriteLine($"{"connection",-34} {"sharing",-8} {"1st process",12} {"2nd process",12} {"logins",7}");
        var cases = new (string Name, string? Option, string? Value)[]
        {
            ("default key exchange", null, null),
            ("diffie-hellman-group18-sha512", "KexAlgorithms", "diffie-hellman-group18-sha512"),
            ("connecting takes 1 s longer", "ProxyCommand", "sh -c 'sleep 1; exec socat - TCP:%h:%p'"),
        };
        foreach (var (name, option, value) in cases)
        {
            foreach (var shared in new[] { false, true })
            {
                List<double> first = [];
                List<double> second = [];
                var loginsBefore = board.Logins;
                for (var run = 0; run < runs; run++)
                {
                    // A fresh connection key per run (ServerAliveCountMax is part of it): no master of an earlier run helps.
                    var config = board.CreateDeviceConfig("bench", extraOptions: Options(option, value, run, shared));
                    first.Add(await ConnectAndRunAsync(config, shared));
                    second.Add(await ConnectAndRunAsync(config, shared));
                    await CloseAsync(config);
                }

                var logins = (board.Logins - loginsBefore) / (double)runs;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-34} {(shared ? "shared" : "off"),-8} {Median(first),9:F0} ms {Median(second),9:F0} ms {logins,7:F1}"));
            }
        }

        return 0;
    }

    private static Dictionary<string, string> Options(string? option, string? value, int run, bool shared)
    {
        var options = new Dictionary<string, string> { ["ServerAliveCountMax"] = (3 + run + (shared ? 1000 : 0)).ToString(CultureInfo.InvariantCulture) };
        if (option is not null && value is not null)
        {
            options[option] = value;
        }

        return options;
    }

    /// <summary>One "process": a new device object, connect, run <c>true</c>, dispose; milliseconds.</summary>
    private static async Task<double> ConnectAndRunAsync(DeviceConfig config, bool shared)
    {
        Environment.SetEnvironmentVariable(SshControlSocket.ShareVariable, shared ? null : "0");
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await using var device = new SshDevice(config);
            var result = await device.RunAsync(CommandRequest.Shell("true"), CancellationToken.None);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("true failed: " + result.Stderr);
            }

            return stopwatch.Elapsed.TotalMilliseconds;
        }
        finally
        {
            Environment.SetEnvironmentVariable(SshControlSocket.ShareVariable, null);
        }
    }

    /// <summary>Ends the run's shared master, if any.</summary>
    private static async Task CloseAsync(DeviceConfig config)
    {
        using var socket = SshControlSocket.For(config.Ssh!, config.BaseDirectory);
        if (socket.IsShared && File.Exists(socket.Path))
        {
            await BenchmarkProcess.RunAsync("ssh", ["-o", "ControlPath=" + socket.Path, "-O", "exit", config.Ssh!.Host]);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

}
