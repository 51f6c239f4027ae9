using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Ssh;

/// <summary>
/// The ControlMaster shared by device objects (and processes) with the same connection settings, against the lab's
/// real sshd, counting its logins. Each device object stands for a process: it knows nothing of the other's master
/// except the socket. Each test has a board (and so settings) of its own.
/// </summary>
[TestClass]
public sealed partial class SshSharedMasterTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_second_device_object_for_the_same_connection_rides_the_first_ones_login()
    {
        await using var board = await SshLab.StartBoardAsync();
        var config = board.CreateDeviceConfig("shared");
        await using (var first = new SshDevice(config))
        {
            await first.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);
        }

        await using var second = new SshDevice(config);
        var result = await second.RunAsync(CommandRequest.Shell("echo second"), TestContext.CancellationToken);

        Assert.AreEqual("second\n", result.Stdout);
        Assert.AreEqual(1, await board.LoginsSoFarAsync(TestContext.CancellationToken), "the master outlives the first device object and serves the second");
    }

    [TestMethod]
    public async Task Two_device_objects_connecting_at_the_same_time_start_one_master()
    {
        await using var board = await SshLab.StartBoardAsync();
        var config = board.CreateDeviceConfig("racing");
        var devices = Enumerable.Range(0, 4).Select(_ => new SshDevice(config)).ToList();
        try
        {
            var results = await Task.WhenAll(devices.Select(d => d.RunAsync(CommandRequest.Shell("echo up"), TestContext.CancellationToken)));

            Assert.IsTrue(results.All(r => r.Stdout == "up\n"));
            Assert.AreEqual(1, await board.LoginsSoFarAsync(TestContext.CancellationToken), "the socket's lock lets one process start the master, the others wait and use it");
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }
        }
    }

    [TestMethod]
    public async Task A_socket_whose_master_was_killed_is_replaced()
    {
        await using var board = await SshLab.StartBoardAsync();
        var config = board.CreateDeviceConfig("stale");
        var socket = SshControlSocket.For(config.Ssh!, config.BaseDirectory).Path;
        await using (var first = new SshDevice(config))
        {
            await first.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);
        }

        // SIGKILL: the master cannot remove its socket, which stays behind with nothing listening.
        var master = await MasterPidAsync(socket, config.Ssh!.Host);
        Assert.IsNotNull(master, "the first device's master runs");
        using (var kill = Process.Start("kill", ["-KILL", master.Value.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.CancellationToken);
        }

        Assert.IsTrue(await GoneAsync(master.Value, TimeSpan.FromSeconds(10)), "the master was killed");
        Assert.IsTrue(File.Exists(socket), "the stale socket is left behind");

        await using var second = new SshDevice(config);
        var result = await second.RunAsync(CommandRequest.Shell("echo replaced"), TestContext.CancellationToken);

        Assert.AreEqual("replaced\n", result.Stdout);
        var replacement = await MasterPidAsync(socket, config.Ssh.Host);
        Assert.IsNotNull(replacement, "a new master answers on the socket");
        Assert.AreNotEqual(master, replacement);
        Assert.AreEqual(2, await board.LoginsSoFarAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task After_sshd_restarted_the_next_device_object_logs_in_again()
    {
        await using var board = await SshLab.StartBoardAsync();
        var config = board.CreateDeviceConfig("restarted");
        await using (var first = new SshDevice(config))
        {
            await first.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);
        }

        await board.StopAsync();
        await board.StartAgainAsync(TestContext.CancellationToken);
        await using var second = new SshDevice(config);
        var result = await second.RunAsync(CommandRequest.Shell("echo again"), TestContext.CancellationToken);

        Assert.AreEqual("again\n", result.Stdout);
        Assert.AreEqual(2, await board.LoginsSoFarAsync(TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task A_device_with_other_options_gets_a_master_of_its_own()
    {
        await using var board = await SshLab.StartBoardAsync();
        await using var plain = new SshDevice(board.CreateDeviceConfig("plain"));
        await using var other = new SshDevice(board.CreateDeviceConfig("other", extraOptions: new Dictionary<string, string> { ["Compression"] = "yes" }));

        await plain.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);
        await other.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);

        Assert.AreEqual(2, await board.LoginsSoFarAsync(TestContext.CancellationToken), "a connection made with other options is not the same connection");
    }

    /// <summary>The pid of the master answering on <paramref name="socket"/> (<c>ssh -O check</c>), or null.</summary>
    private async Task<int?> MasterPidAsync(string socket, string host)
    {
        using var check = Process.Start(new ProcessStartInfo("ssh", ["-o", "ControlPath=" + socket, "-O", "check", host])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var stderr = await check.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        await check.WaitForExitAsync(TestContext.CancellationToken);
        return check.ExitCode == 0 && MasterRunning().Match(stderr) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>Waits until process <paramref name="pid"/> is gone or a zombie (nobody may reap a daemon's remains here).</summary>
    private async Task<bool> GoneAsync(int pid, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (Runs(pid) && stopwatch.Elapsed < within)
        {
            await Task.Delay(20, TestContext.CancellationToken);
        }

        return !Runs(pid);
    }

    private static bool Runs(int pid)
    {
        try
        {
            return !File.ReadAllLines("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/status")
                .Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"Master running \(pid=(\d+)\)")]
    private static partial Regex MasterRunning();
}
