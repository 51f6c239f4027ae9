using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Ssh;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Tasks.Tests;

/// <summary>
/// A build that deploys to an SSH device starts the device's shared ControlMaster when it starts (ConnectToDevice),
/// so the login overlaps the compiler: real builds of a small class library (<c>dotnet msbuild -restore</c>, Roslyn's
/// CoreCompile) against the lab's SSH board, counting sshd's logins.
/// </summary>
[TestClass]
public sealed class EarlyConnectTests
{
    private const string Connecting = "ConnectToDevice: connecting to 'board' in the background";
    private static SshBoard? s_board;

    private static SshBoard Board => s_board ?? throw new AssertInconclusiveException("no SSH board");

    [ClassInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "tar");
        s_board = await SshBoard.StartAsync();
    }

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (s_board is not null)
        {
            await s_board.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task A_build_that_deploys_has_the_master_up_when_the_compiler_finishes_and_logs_in_once()
    {
        using var project = NewProject();
        var socket = await NoMasterAsync(project);
        project.Extra = WaitForMasterAfterCompile(socket) + "<PropertyGroup><DeviceTestConnectEarly>true</DeviceTestConnectEarly></PropertyGroup>";
        var (run, logins) = await CountLoginsAsync(() => project.RunAsync("-restore", "-t:Build;DeployToDevice", "-p:Device=board", "-v:d"));

        Expect.Summary(run, sent: 1, skipped: 0);
        var output = run.Output;
        var connecting = output.IndexOf(Connecting, StringComparison.Ordinal);
        var compile = output.IndexOf("Target \"CoreCompile\" in file", StringComparison.Ordinal);
        Assert.IsTrue(connecting >= 0 && compile > connecting, "the connection is started before the compiler runs:\n" + output);

        // Nothing but the early start can have brought the master up by then: the deploy had not started yet.
        StringAssert.Contains(output, "DTPROBE master up after CoreCompile", "the master came up while the project compiled:\n" + output);
        Assert.IsLessThan(output.IndexOf("DeployToDevice: 1 artifact(s)", StringComparison.Ordinal), output.IndexOf("DTPROBE master up", StringComparison.Ordinal));
        Assert.AreEqual(1, logins, "one login for the build and its deploy:\n" + Board.Log);
    }

    [TestMethod]
    [DataRow("-p:Device=board", DisplayName = "device named by -p:Device")]
    [DataRow("-p:VSTestCLIRunSettings=DeviceTest.Device=board", DisplayName = "device named in runsettings after --")]
    public async Task Dotnet_test_connects_before_it_builds_and_the_deploy_rides_that_connection(string device)
    {
        using var project = NewProject();
        await NoMasterAsync(project);

        // dotnet test runs the VSTest target (which builds inside itself); a library with no tests is enough to
        // see the hook deploy after the build, and the connect-early default (nothing set) is what runs here.
        var (run, logins) = await CountLoginsAsync(() => project.RunAsync("-restore", "-t:VSTest", device, "-p:IsTestProject=true", "-v:d"));

        var output = run.Output;
        StringAssert.Contains(output, "1 file(s) sent, 0 unchanged file(s) skipped", output);
        var connecting = output.IndexOf(Connecting, StringComparison.Ordinal);
        var compile = output.IndexOf("Target \"CoreCompile\" in file", StringComparison.Ordinal);
        Assert.IsTrue(connecting >= 0 && compile > connecting, "the connection is started before the compiler runs:\n" + output);
        Assert.AreEqual(1, logins, "one login for the build and its deploy:\n" + Board.Log);
    }

    [TestMethod]
    public async Task From_the_task_host_the_master_still_comes_up_and_the_deploy_logs_in_once()
    {
        using var project = NewProject();
        var socket = await NoMasterAsync(project);
        project.Extra = WaitForMasterAfterCompile(socket);

        // The task host process ends when ConnectToDevice returns; the master it started must still come up.
        var (run, logins) = await CountLoginsAsync(() => project.RunAsync("-restore", "-t:Build;DeployToDevice", "-p:Device=board", "-p:DeviceTestConnectEarly=true", "-p:DeviceTestTaskHost=true", "-v:d"));

        Expect.Summary(run, sent: 1, skipped: 0);
        StringAssert.Contains(run.Output, Connecting);
        StringAssert.Contains(run.Output, "DTPROBE master up after CoreCompile", run.Output);
        Assert.AreEqual(1, logins, "one login for the build and its deploy:\n" + Board.Log);
    }

    [TestMethod]
    public async Task DeviceTestConnectEarly_false_starts_nothing_before_the_deploy()
    {
        using var project = NewProject();
        var socket = await NoMasterAsync(project);
        project.Extra = $"""
              <Target Name="_ProbeMaster" AfterTargets="CoreCompile">
                <Message Importance="high" Text="DTPROBE master at compile end: $([System.IO.File]::Exists('{socket}'))" />
              </Target>
            """;
        var (run, logins) = await CountLoginsAsync(() => project.RunAsync("-restore", "-t:VSTest", "-p:Device=board", "-p:IsTestProject=true", "-p:DeviceTestConnectEarly=false", "-v:d"));

        StringAssert.Contains(run.Output, "1 file(s) sent, 0 unchanged file(s) skipped", run.Output);
        StringAssert.Contains(run.Output, "DTPROBE master at compile end: False", run.Output);
        Assert.DoesNotContain("Task \"ConnectToDevice\"", run.Output);
        Assert.AreEqual(1, logins, "the deploy logged in itself:\n" + Board.Log);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "in the build's own process")]
    [DataRow(true, DisplayName = "in the task host")]
    public async Task An_unreachable_device_adds_no_error_and_no_wait_to_a_build_that_does_not_deploy(bool taskHost)
    {
        // A "device" that accepts TCP connections and never answers: ssh waits for its banner for the whole connect
        // timeout. A build that waited for that attempt would end after ssh gave up and closed the connection.
        using var port = LoopbackPort.Reserve();
        using var listener = new TcpListener(IPAddress.Loopback, port.Number);
        listener.Start();
        using var project = new TempProject { Compiles = true };
        project.WriteDevicesFile($"""
            devices:
              board:
                ssh: {"{"} host: 127.0.0.1, port: {port.Number}, user: root, identity: '{Board.IdentityFile}', connect_timeout: 60s {"}"}
            """);
        project.Extra = "<PropertyGroup><DeviceTestConnectEarly>true</DeviceTestConnectEarly></PropertyGroup>";

        var run = await project.RunAsync("-restore", "-t:Build", "-p:Device=board", $"-p:DeviceTestTaskHost={(taskHost ? "true" : "false")}", "-v:d");

        Expect.Succeeded(run);
        StringAssert.Contains(run.Output, Connecting, run.Output);
        StringAssert.Contains(run.Output, "0 Warning(s)", run.Output);
        StringAssert.Contains(run.Output, "0 Error(s)", run.Output);
        using var accept = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var ssh = await listener.AcceptSocketAsync(accept.Token);
        Assert.IsTrue(StillOpen(ssh), "the build ended only after ssh gave up on the device: it waited for the early connection");
    }

    /// <summary>sshd's logins while <paramref name="action"/> ran (the board's counting probe after it is not one of them; the one before is).</summary>
    private static async Task<(T Result, int Logins)> CountLoginsAsync<T>(Func<Task<T>> action)
    {
        var before = await Board.LoginsSoFarAsync();
        var result = await action();
        return (result, await Board.LoginsSoFarAsync() - before - 1);
    }

    /// <summary>A project that compiles, with one artifact and the board as 'board'.</summary>
    private static TempProject NewProject()
    {
        var project = new TempProject { Compiles = true };
        project.WriteBoardDevicesFile(Board);
        project.WriteFile("payload/app.conf", "setting=1\n");
        project.AddArtifact("payload/app.conf", $"{project.DeviceRoot}/etc/app.conf");
        return project;
    }

    /// <summary>The board's shared control socket for this project's devices.yml, with no master behind it (another
    /// test's master would otherwise still be up: ControlPersist).</summary>
    private static async Task<string> NoMasterAsync(TempProject project)
    {
        var config = DeviceFileLoader.Load(Path.Combine(project.Directory, "devices.yml")).Find("board")!;
        using var socket = SshControlSocket.For(config.Ssh!, config.BaseDirectory);
        Assert.IsTrue(socket.IsShared, $"the lab's user has no folder for shared sockets (or {SshControlSocket.ShareVariable}=0 is set)");
        if (File.Exists(socket.Path))
        {
            using var exit = Process.Start("ssh", ["-o", "ControlPath=" + socket.Path, "-O", "exit", "127.0.0.1"]);
            await exit.WaitForExitAsync();
        }

        // The master removes its socket as it exits, just after it answered.
        for (var i = 0; i < 100 && File.Exists(socket.Path); i++)
        {
            await Task.Delay(50);
        }

        Assert.IsFalse(File.Exists(socket.Path), "the master from before is still up");
        return socket.Path;
    }

    /// <summary>A target right after CoreCompile (before the deploy) that waits up to a minute for the master's socket.</summary>
    private static string WaitForMasterAfterCompile(string socket) => $"""
          <Target Name="_ProbeMaster" AfterTargets="CoreCompile">
            <Exec Command="i=0; while [ ! -S '{socket}' ] &amp;&amp; [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; [ -S '{socket}' ] &amp;&amp; echo DTPROBE master up after CoreCompile" IgnoreExitCode="true" />
          </Target>
        """;

    /// <summary>True while the peer has not closed the connection (whatever it sent is read and dropped).</summary>
    private static bool StillOpen(Socket socket)
    {
        var buffer = new byte[4096];
        while (socket.Available > 0)
        {
            socket.Receive(buffer);
        }

        return !(socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0);
    }
}
