using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab.Serial;
using DeviceTest.Lab.Ssh;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Devices;

/// <summary>
/// Issue 3's done criterion, part 1: <c>devicetest run</c> runs the same spec, unchanged, on the local device, the SSH
/// board (a real sshd) and the serial board through a local pty, ser2net raw and RFC 2217; every test passes, the
/// exit code is 0 and the JUnit file lists each test. The QEMU boards are in <see cref="QemuRunTests"/>.
/// </summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class SameSpecOnEveryBoardTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [TestMethod]
    public async Task Local_device()
    {
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("other", "ssh: { host: 192.0.2.1 }");
        await RunSmokeAsync(workspace, "local");
    }

    [TestMethod]
    public async Task Ssh_board()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen");
        await using var board = await SshBoard.StartAsync();
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("ssh-board", SshEntry(board));
        await RunSmokeAsync(workspace, "ssh-board");
    }

    [TestMethod]
    public async Task Serial_board_on_a_local_pty()
    {
        await using var board = await PtyShellBoard.StartAsync();
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("pty-board", $"serial: {{ port: {BoardWorkspace.Quote(board.TtyPath)}, baud: 115200 }}", $"shell: {{ prompt: '{PtyShellBoard.PromptPattern}' }}");
        await RunSmokeAsync(workspace, "pty-board");
    }

    [TestMethod]
    public async Task Serial_board_through_ser2net_raw()
    {
        await using var board = await Ser2NetBoard.StartAsync();
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("raw-board", $"serial: {{ port: '{board.RawUrl}' }}", $"shell: {{ prompt: '{PtyShellBoard.PromptPattern}' }}");
        await RunSmokeAsync(workspace, "raw-board");
    }

    [TestMethod]
    public async Task Serial_board_through_ser2net_rfc2217()
    {
        await using var board = await Ser2NetBoard.StartAsync();
        using var workspace = new BoardWorkspace();
        workspace.WriteDevice("rfc2217-board", $"serial: {{ port: '{board.Rfc2217Url}', baud: 57600 }}", $"shell: {{ prompt: '{PtyShellBoard.PromptPattern}' }}");
        await RunSmokeAsync(workspace, "rfc2217-board");
    }

    /// <summary>The devices.yml lines of the SSH board.</summary>
    internal static string[] SshEntry(SshBoard board, int? port = null) =>
    [
        $"ssh: {{ host: 127.0.0.1, port: {port ?? board.Port}, user: {BoardWorkspace.Quote(board.User)}, identity: {BoardWorkspace.Quote(board.IdentityFile)},",
        $"       options: {{ UserKnownHostsFile: {BoardWorkspace.Quote(board.KnownHostsFile)}, StrictHostKeyChecking: 'yes', GSSAPIAuthentication: 'no' }} }}",
    ];

    private static async Task RunSmokeAsync(BoardWorkspace workspace, string device)
    {
        var run = await workspace.RunAsync(device, RunTimeout, workspace.SmokeSpec);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        JUnitCases.AllPassed(workspace.JUnitFile, BoardSpecs.SmokeTests, run.ToString());
        var artifact = Directory.EnumerateFiles(workspace.ResultsDirectory, "answer.txt", SearchOption.AllDirectories).SingleOrDefault();
        Assert.IsNotNull(artifact, $"the artifact came back from {device}\n{run}");
        Assert.AreEqual("42", File.ReadAllText(artifact).Trim());
        StringAssert.Contains(File.ReadAllText(workspace.JUnitFile), "answer.txt", "the artifact is attached in JUnit");
    }
}
