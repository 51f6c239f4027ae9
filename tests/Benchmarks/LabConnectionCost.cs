using System.Diagnostics;
using System.Globalization;
using DeviceTest.Hardware;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Lab;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Benchmarks;

/// <summary>
/// What one lab-host connection per device saves: a device's flashing runs a mux command on the lab host, then its
/// keyboard sends a key there. Before, each part had an SshDevice of its own for the lab host (as LabMediumWriter and
/// LabHost built them); now both use the device's <see cref="LabConnection"/>. Timed: the first lab command of the
/// second part (the key), from nothing to both done, and the raw tool (<c>ssh true</c> on a new channel of a master,
/// and on a new connection); with shared masters (the default) and without (<c>DEVICETEST_SSH_SHARE=0</c>). Prints medians and logins
/// per device (LabConnectionTests counts the persistent shells).
/// </summary>
internal static class LabConnectionCost
{
    private static readonly CommandRequest Mux = CommandRequest.Shell("true");

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length == 2 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        await using var board = await SshBoard.StartAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lab-connection: lab sshd on 127.0.0.1:{board.Port}, {Environment.ProcessorCount} cores, load {BenchmarkProcess.Load()}, median of {runs}"));
        Console.WriteLine($"{"lab host connections",-32} {"sharing",-8} {"first key",10} {"mux + key",10} {"logins",7}");
        var run = 0;
        foreach (var shared in new[] { true, false })
        {
            foreach (var perDevice in new[] { false, true })
            {
                List<double> key = [];
                List<double> both = [];
                var loginsBefore = board.Logins;
                for (var i = 0; i < runs; i++)
                {
                    // A fresh connection key per run (ServerAliveCountMax is part of it): no master of an earlier run helps.
                    var config = board.CreateDeviceConfig("bench", extraOptions: new Dictionary<string, string>
                    {
                        ["ServerAliveCountMax"] = (3 + run++).ToString(CultureInfo.InvariantCulture),
                    }).Ssh!;
                    var (first, total) = perDevice ? await OneConnectionAsync(config, shared) : await TwoConnectionsAsync(config, shared);
                    key.Add(first);
                    both.Add(total);
                    await CloseAsync(config);
                }

                var logins = (board.Logins - loginsBefore) / (double)runs;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(perDevice ? "one per device (now)" : "one per part (before)"),-32} {(shared ? "shared" : "off"),-8} {Median(key),7:F0} ms {Median(both),7:F0} ms {logins,7:F1}"));
            }
        }

        await RawAsync(board, runs, run);
        return 0;
    }

    /// <summary>
    /// The raw tool: <c>ssh true</c> on a new channel of a running master (what a second persistent shell costs to
    /// open, roughly) and over a new connection (what a second master costs).
    /// </summary>
    private static async Task RawAsync(SshBoard board, int runs, int run)
    {
        var config = board.CreateDeviceConfig("bench", extraOptions: new Dictionary<string, string>
        {
            ["ServerAliveCountMax"] = (3 + run).ToString(CultureInfo.InvariantCulture),
        }).Ssh!;
        await using var master = new SshDevice(new DeviceConfig { Name = "bench", Ssh = config });
        Check(await master.RunAsync(Mux, CancellationToken.None));
        using var socket = SshControlSocket.For(config, Directory.GetCurrentDirectory());
        List<double> channel = [];
        List<double> connection = [];
        for (var i = 0; i < runs; i++)
        {
            channel.Add(await RawSshAsync(board, config, socket.Path));
            connection.Add(await RawSshAsync(board, config, "none"));
        }

        await CloseAsync(config);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"raw: ssh true on a new channel",-41} {Median(channel),7:F0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"raw: ssh true on a new connection",-41} {Median(connection),7:F0} ms"));
    }

    /// <summary>Before: the flash writer's SshDevice runs the mux command, then LabHost's own SshDevice sends the key.</summary>
    private static async Task<(double Key, double Both)> TwoConnectionsAsync(SshConfig ssh, bool shared)
    {
        Share(shared);
        var stopwatch = Stopwatch.StartNew();
        await using var writer = new SshDevice(new DeviceConfig { Name = "bench lab host", Ssh = ssh });
        await using var keys = new SshDevice(new DeviceConfig { Name = "bench-lab", Ssh = ssh });
        Share(true);
        Check(await writer.RunAsync(Mux, CancellationToken.None));
        var key = Stopwatch.StartNew();
        Check(await keys.RunAsync(CommandRequest.Shell("true"), CancellationToken.None));
        return (key.Elapsed.TotalMilliseconds, stopwatch.Elapsed.TotalMilliseconds);
    }

    /// <summary>Now: the device's one LabConnection runs the mux command, then its LabHost sends the key.</summary>
    private static async Task<(double Key, double Both)> OneConnectionAsync(SshConfig ssh, bool shared)
    {
        Share(shared);
        var stopwatch = Stopwatch.StartNew();
        await using var lab = new LabConnection("bench", new LabConfig { Ssh = ssh }, Directory.GetCurrentDirectory());
        await using var host = new LabHost("bench", lab);
        Share(true);
        Check(await lab.Shell.RunAsync(Mux, CancellationToken.None));
        var key = Stopwatch.StartNew();
        await host.RunAsync("key command", "true", "true", TimeSpan.FromSeconds(30), (m, e) => new InvalidOperationException(m, e), CancellationToken.None);
        return (key.Elapsed.TotalMilliseconds, stopwatch.Elapsed.TotalMilliseconds);
    }

    private static async Task<double> RawSshAsync(SshBoard board, SshConfig ssh, string controlPath)
    {
        var stopwatch = Stopwatch.StartNew();
        await BenchmarkProcess.CheckedAsync("ssh", [
            "-o", "ControlMaster=no", "-o", "ControlPath=" + controlPath, .. ssh.Options.SelectMany(o => new[] { "-o", o.Key + "=" + o.Value }),
            "-o", "BatchMode=yes", "-i", board.IdentityFile, "-o", "IdentitiesOnly=yes", "-p", board.Port.ToString(CultureInfo.InvariantCulture),
            "-l", board.User, "--", board.Host, "true"]);
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static void Share(bool shared) => Environment.SetEnvironmentVariable(SshControlSocket.ShareVariable, shared ? null : "0");

    private static void Check(CommandResult result)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("the lab command failed: " + result.Stderr);
        }
    }

    /// <summary>Ends the run's shared master, if any (a private one ended with its device object).</summary>
    private static async Task CloseAsync(SshConfig ssh)
    {
        using var socket = SshControlSocket.For(ssh, Directory.GetCurrentDirectory());
        if (socket.IsShared && File.Exists(socket.Path))
        {
            await BenchmarkProcess.RunAsync("ssh", ["-o", "ControlPath=" + socket.Path, "-O", "exit", ssh.Host]);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
