using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Hardware.Tests.Ssh;

[TestClass]
public sealed class SshDeviceConnectionTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_refused_port_is_unreachable_with_a_hint()
    {
        await using var board = await SshLab.StartBoardAsync();
        using var closed = DeviceTest.Lab.LoopbackPort.Reserve();
        var config = WithSsh("refused-board", board.CreateDeviceConfig().Ssh!, port: closed.Number);

        var error = await RunExpectingUnreachableAsync(config);

        Assert.Contains("refused-board", error.Message);
        Assert.Contains($"127.0.0.1:{config.Ssh!.Port}", error.Message);
        Assert.Contains("Connection refused", error.Message);
        Assert.Contains("is sshd running", error.Message);
    }

    [TestMethod]
    public async Task An_unknown_host_name_is_unreachable()
    {
        await using var board = await SshLab.StartBoardAsync();
        var config = WithSsh("nameless", board.CreateDeviceConfig().Ssh!, host: "no-such-host.invalid");

        var error = await RunExpectingUnreachableAsync(config);

        Assert.Contains("nameless", error.Message);
        Assert.Contains("no-such-host.invalid", error.Message);
        Assert.Contains("Check ssh.host", error.Message);
    }

    [TestMethod]
    public async Task A_host_that_looks_like_an_option_is_never_taken_for_one()
    {
        await using var board = await SshLab.StartBoardAsync();
        var marker = Path.Combine(Path.GetTempPath(), "devicetest-injected-" + Guid.NewGuid().ToString("N"));
        var config = WithSsh("dashed", board.CreateDeviceConfig().Ssh!, host: $"-oProxyCommand=touch {marker}");

        var error = await RunExpectingUnreachableAsync(config);

        Assert.IsFalse(File.Exists(marker), "ssh ran the 'host' as a ProxyCommand option");
        Assert.Contains("dashed", error.Message);
        Assert.Contains("hostname contains invalid characters", error.Message);
        foreach (var arguments in SshArgumentLists(config))
        {
            var host = arguments.IndexOf(config.Ssh!.Host);
            Assert.AreEqual("--", arguments[host - 1], string.Join(' ', arguments));
        }
    }

    [TestMethod]
    public async Task A_silent_server_is_unreachable_within_the_connect_timeout()
    {
        await using var board = await SshLab.StartBoardAsync();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var config = WithSsh("silent-board", board.CreateDeviceConfig().Ssh!, port: port);

        var error = await RunExpectingUnreachableAsync(config);

        Assert.Contains("silent-board", error.Message);
        Assert.Contains($":{port}", error.Message);
    }

    [TestMethod]
    public async Task A_key_the_device_does_not_know_is_unreachable_naming_the_identity()
    {
        await using var board = await SshLab.StartBoardAsync();
        var otherKey = Path.Combine(board.Directory, "other_key");
        using (var keygen = Process.Start("ssh-keygen", ["-q", "-t", "ed25519", "-N", string.Empty, "-f", otherKey]))
        {
            await keygen.WaitForExitAsync(TestContext.CancellationToken);
        }

        var config = WithSsh("bad-key", board.CreateDeviceConfig().Ssh!, identity: otherKey);

        var error = await RunExpectingUnreachableAsync(config);

        Assert.Contains("bad-key", error.Message);
        Assert.Contains("Permission denied", error.Message);
        Assert.Contains("ssh.identity", error.Message);
        Assert.Contains(otherKey, error.Message);
    }

    [TestMethod]
    public async Task A_missing_key_file_is_unreachable_naming_the_file()
    {
        await using var board = await SshLab.StartBoardAsync();
        var config = WithSsh("no-key", board.CreateDeviceConfig().Ssh!, identity: "/no/such/key");

        var error = await RunExpectingUnreachableAsync(config);

        Assert.Contains("/no/such/key", error.Message);
        Assert.Contains("ssh.identity", error.Message);
    }

    [TestMethod]
    public async Task A_wrong_user_is_unreachable_naming_the_user()
    {
        await using var board = await SshLab.StartBoardAsync();
        var config = WithSsh("wrong-user", board.CreateDeviceConfig().Ssh!, user: "nosuchuser");

        var error = await RunExpectingUnreachableAsync(config);

        Assert.Contains("nosuchuser@127.0.0.1", error.Message);
        Assert.Contains("ssh.user", error.Message);
    }

    [TestMethod]
    public async Task A_changed_host_key_is_unreachable_with_the_fix()
    {
        await using var board = await SshLab.StartBoardAsync();
        var knownHosts = Path.Combine(board.Directory, "stale_known_hosts");
        await File.WriteAllTextAsync(
            knownHosts,
            $"[127.0.0.1]:{board.Port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n",
            TestContext.CancellationToken);
        var ssh = board.CreateDeviceConfig().Ssh!;
        var options = new Dictionary<string, string>(ssh.Options) { ["UserKnownHostsFile"] = knownHosts };
        var config = WithSsh("changed-key", ssh, options: options);

        var error = await RunExpectingUnreachableAsync(config);

        Assert.Contains("host key", error.Message);
        Assert.Contains("ssh-keygen -R", error.Message);
    }

    [TestMethod]
    public async Task Ensure_ready_connects_and_succeeds()
    {
        await using var board = await SshLab.StartBoardAsync();
        await using var device = new SshDevice(board.CreateDeviceConfig());

        await device.EnsureReadyAsync(TimeSpan.FromSeconds(30), TestContext.CancellationToken);
        var result = await device.RunAsync(CommandRequest.Shell("echo ready"), TestContext.CancellationToken);

        Assert.AreEqual("ready\n", result.Stdout);
    }

    [TestMethod]
    public async Task Killing_the_connection_mid_command_loses_the_device_and_the_next_command_works()
    {
        await using var board = await SshLab.StartBoardAsync();
        await using var device = new SshDevice(board.CreateDeviceConfig("vanishing"));
        await device.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);
        var sleep = SshLab.UniqueSleep();
        try
        {
            var running = device.RunAsync(CommandRequest.Shell($"echo started; sleep {sleep}"), TestContext.CancellationToken);
            await Task.Delay(500, TestContext.CancellationToken);
            var stopwatch = Stopwatch.StartNew();
            await board.KillConnectionsAsync();

            var error = await Assert.ThrowsAsync<DeviceLostException>(() => running);
            Assert.IsLessThan(20.0, stopwatch.Elapsed.TotalSeconds);
            Assert.StartsWith("device lost:", error.Message);
            Assert.Contains("vanishing", error.Message);

            var next = await device.RunAsync(CommandRequest.Shell("echo back"), TestContext.CancellationToken);
            Assert.AreEqual("back\n", next.Stdout);
        }
        finally
        {
            SshLab.Kill("sleep " + sleep);
        }
    }

    [TestMethod]
    public async Task A_command_after_the_connection_dropped_while_idle_just_works()
    {
        await using var board = await SshLab.StartBoardAsync();
        await using var device = new SshDevice(board.CreateDeviceConfig("idle-drop"));
        await device.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);

        await board.KillConnectionsAsync();
        await Task.Delay(200, TestContext.CancellationToken);
        var result = await device.RunAsync(CommandRequest.Shell("echo fine"), TestContext.CancellationToken);

        Assert.AreEqual("fine\n", result.Stdout);
    }

    [TestMethod]
    public async Task Reboot_waits_for_the_device_to_go_down_and_come_back()
    {
        await using var board = await SshLab.StartBoardAsync();
        await using var device = new SshDevice(board.CreateDeviceConfig("rebooting"));
        await device.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken);

        // A fake reboot: the "reboot command" is a marker; the test stops sshd (the board goes down) and starts it again.
        var reboot = device.RebootAsync(CommandLine.FromShell("echo rebooting"), TimeSpan.FromSeconds(60), TestContext.CancellationToken);
        await Task.Delay(300, TestContext.CancellationToken);
        await board.StopAsync();
        await Task.Delay(1500, TestContext.CancellationToken);
        await board.StartAgainAsync(TestContext.CancellationToken);
        var outcome = await reboot;

        Assert.IsTrue(outcome.Rebooted, outcome.Details);
        Assert.Contains("went down after", outcome.Details);
        var next = await device.RunAsync(CommandRequest.Shell("echo up"), TestContext.CancellationToken);
        Assert.AreEqual("up\n", next.Stdout);
    }

    [TestMethod]
    public async Task A_failing_reboot_command_is_reported()
    {
        await using var board = await SshLab.StartBoardAsync();
        await using var device = new SshDevice(board.CreateDeviceConfig("no-reboot"));

        var outcome = await device.RebootAsync(CommandLine.FromShell("echo nope >&2; exit 3"), TimeSpan.FromSeconds(30), TestContext.CancellationToken);

        Assert.IsFalse(outcome.Rebooted);
        Assert.Contains("exit code 3", outcome.Details);
        Assert.Contains("nope", outcome.Details);
    }

    private static DeviceConfig WithSsh(
        string name,
        SshConfig ssh,
        string? host = null,
        int? port = null,
        string? user = null,
        string? identity = null,
        IReadOnlyDictionary<string, string>? options = null) => new()
        {
            Name = name,
            Ssh = new SshConfig
            {
                Host = host ?? ssh.Host,
                Port = port ?? ssh.Port,
                User = user ?? ssh.User,
                Identity = identity ?? ssh.Identity,
                Options = options ?? ssh.Options,
                ConnectTimeout = ConnectTimeout,
            },
        };

    /// <summary>Every argument list DeviceTest gives ssh for the device.</summary>
    private static List<List<string>> SshArgumentLists(DeviceConfig config)
    {
        var arguments = new SshArguments(config.Name, config.Ssh!, Path.GetTempPath(), "/tmp/control-socket");
        return [arguments.Resolve(), arguments.Master(), arguments.Command("true"), arguments.Command("true", useMaster: false), arguments.Control("check")];
    }

    private async Task<DeviceUnreachableException> RunExpectingUnreachableAsync(DeviceConfig config)
    {
        await using var device = new SshDevice(config);
        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<DeviceUnreachableException>(
            () => device.RunAsync(CommandRequest.Shell("true"), TestContext.CancellationToken));
        Assert.IsLessThan(ConnectTimeout.TotalSeconds + 10, stopwatch.Elapsed.TotalSeconds, "not within the connect timeout");
        TestContext.WriteLine(error.Message);
        return error;
    }

}
