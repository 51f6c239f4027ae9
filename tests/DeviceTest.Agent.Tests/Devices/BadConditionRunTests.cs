using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab.Serial;
using DeviceTest.Lab.Ssh;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Devices;

/// <summary>
/// Bad conditions through <c>devicetest run</c>: each ends in a clear result, nothing hangs, and the exit code says what
/// happened (1: a test failed; 3: the device could not be reached or brought back).
/// </summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class BadConditionRunTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private const string HangSpec = """
        name: lost
        sequence:
          - tests:
              - name: hang
                command: 'echo hanging; sleep 300'
                timeout: 2m
              - name: after
                command: 'echo still here'
        """;

    private const string StuckSpec = """
        name: stuck
        sequence:
          - tests:
              - name: never-ends
                command: 'sleep 1000'
                timeout: 3s
              - name: garbage
                command: 'head -c 3000 /dev/urandom; printf "\033[31m\r\n\001\002\n"; echo'
              - name: after
                command: 'echo still here'
        """;

    [TestMethod]
    public async Task Unreachable_ssh_device_exits_3_within_its_connect_timeout()
    {
        LabRequirement.Programs("ssh");
        using var workspace = new BoardWorkspace();
        using var closedPort = LoopbackPort.Reserve(); // held, so nothing of ours listens there meanwhile
        var closed = closedPort.Number;
        workspace.WriteDevice("gone", $"ssh: {{ host: 127.0.0.1, port: {closed}, user: nobody, connect_timeout: 3s }}");

        var run = await workspace.RunAsync("gone", RunTimeout, workspace.SmokeSpec);

        Assert.AreEqual(3, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "device 'gone'");
        StringAssert.Contains(run.Stderr, "Connection refused");
        Assert.IsLessThan(TimeSpan.FromSeconds(60), run.Duration, run.ToString());
    }

    [TestMethod]
    public async Task Wrong_password_at_the_console_login_exits_3_with_login_failed()
    {
        await using var board = await PtyShellBoard.StartAsync("root", "right");
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("pty-login",
            $"serial: {{ port: {BoardWorkspace.Quote(board.TtyPath)} }}",
            $"shell: {{ prompt: '{PtyShellBoard.PromptPattern}', login: {{ user: root, password: wrong }} }}");

        var run = await workspace.RunAsync("pty-login", RunTimeout, workspace.SmokeSpec);

        Assert.AreEqual(3, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "login failed for user root");
        Assert.DoesNotContain("wrong", run.Stdout + run.Stderr, "the password is never printed");
    }

    [TestMethod]
    public async Task A_prompt_that_never_comes_exits_3_after_the_boot_timeout()
    {
        await using var board = await PtyShellBoard.StartAsync();
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("pty-silent",
            $"serial: {{ port: {BoardWorkspace.Quote(board.TtyPath)} }}",
            "shell: { prompt: 'never-this-prompt> $', boot_timeout: 3s }");

        var run = await workspace.RunAsync("pty-silent", RunTimeout, workspace.SmokeSpec);

        Assert.AreEqual(3, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "no shell prompt /never-this-prompt> $/");
        Assert.IsLessThan(TimeSpan.FromSeconds(60), run.Duration, run.ToString());
    }

    [TestMethod]
    public async Task A_command_that_never_ends_and_garbage_on_the_console_leave_the_serial_board_usable()
    {
        await using var board = await PtyShellBoard.StartAsync();
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("pty-board", $"serial: {{ port: {BoardWorkspace.Quote(board.TtyPath)} }}", $"shell: {{ prompt: '{PtyShellBoard.PromptPattern}' }}");
        await AssertStuckSpecAsync(workspace, "pty-board");
    }

    [TestMethod]
    public async Task A_command_that_never_ends_leaves_the_ssh_board_usable()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen");
        await using var board = await SshBoard.StartAsync();
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("ssh-board", SameSpecOnEveryBoardTests.SshEntry(board));
        await AssertStuckSpecAsync(workspace, "ssh-board");
    }

    [TestMethod]
    public async Task Killed_ssh_session_fails_the_test_as_device_lost_and_the_next_test_reconnects()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen");
        await using var board = await SshBoard.StartAsync();
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("ssh-board", SameSpecOnEveryBoardTests.SshEntry(board));
        var spec = workspace.WriteSpec("lost.spec.yml", HangSpec);

        var running = workspace.RunAsync("ssh-board", RunTimeout, spec);
        await WaitForTestAsync(workspace, "hang", running);
        await board.KillConnectionsAsync();
        var run = await running;

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        var cases = JUnitCases.Read(workspace.JUnitFile);
        var hang = cases.Single(c => c.Name == "hang").Failure;
        Assert.IsNotNull(hang, run.ToString());
        StringAssert.StartsWith(hang, "device lost: ");
        StringAssert.Contains(hang, "answered again after");
        Assert.IsNull(cases.Single(c => c.Name == "after").Failure, run.ToString());
    }

    [TestMethod]
    public async Task Closed_pty_fails_the_test_as_device_lost_and_the_run_stops_with_exit_code_3()
    {
        var board = await PtyShellBoard.StartAsync();
        await using var _ = board;
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("pty-board", $"serial: {{ port: {BoardWorkspace.Quote(board.TtyPath)} }}", $"shell: {{ prompt: '{PtyShellBoard.PromptPattern}' }}");
        var spec = workspace.WriteSpec("lost.spec.yml", HangSpec);

        var running = workspace.RunAsync("pty-board", RunTimeout, spec);
        await WaitForTestAsync(workspace, "hang", running);
        await board.KillAsync();
        var run = await running;

        Assert.AreEqual(3, run.ExitCode, run.ToString());
        var hang = JUnitCases.Read(workspace.JUnitFile).Single(c => c.Name == "hang").Failure;
        Assert.IsNotNull(hang, run.ToString());
        StringAssert.StartsWith(hang, "device lost: ");
        StringAssert.Contains(hang, "has no power control");
        StringAssert.Contains(run.Stderr, "device 'pty-board' could not be reached");
        Assert.IsLessThan(TimeSpan.FromSeconds(90), run.Duration, run.ToString());
    }

    private static async Task AssertStuckSpecAsync(BoardWorkspace workspace, string device)
    {
        var spec = workspace.WriteSpec("stuck.spec.yml", StuckSpec);

        var run = await workspace.RunAsync(device, RunTimeout, spec);

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        var cases = JUnitCases.Read(workspace.JUnitFile);
        Assert.AreEqual(3, cases.Count, run.ToString());
        StringAssert.StartsWith(cases.Single(c => c.Name == "never-ends").Failure, "timed out after 3s");
        Assert.IsNull(cases.Single(c => c.Name == "garbage").Failure, run.ToString());
        Assert.IsNull(cases.Single(c => c.Name == "after").Failure, run.ToString());
    }

    /// <summary>Waits until <paramref name="test"/> has started (its results folder has a console.log) and a moment more.</summary>
    internal static async Task WaitForTestAsync(BoardWorkspace workspace, string test, Task<BoardRunResult> running)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (running.IsCompleted)
            {
                Assert.Fail($"devicetest ended before '{test}' ran: {await running}");
            }

            if (Directory.Exists(workspace.ResultsDirectory) &&
                Directory.EnumerateFiles(workspace.ResultsDirectory, "console.log", SearchOption.AllDirectories)
                    .Any(p => p.Contains(test, StringComparison.Ordinal)))
            {
                await Task.Delay(1500);
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"'{test}' did not start within 2 minutes");
    }
}
