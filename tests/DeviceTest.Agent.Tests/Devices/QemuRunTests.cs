using System.Diagnostics;
using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab.Qemu;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Devices;

/// <summary>
/// Issue 3's done criterion, part 2: the same spec on the QEMU board, plus a spec with a reboot step in the middle,
/// through its console (qemu only) and through SSH to dropbear inside it (qemu + ssh); and a QEMU that dies in the
/// middle of a test is started again before the next test. One boot per test: they run one at a time.
/// </summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
[DoNotParallelize]
public sealed class QemuRunTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Qemu_board_over_its_console_runs_the_spec_and_reboots_in_the_middle()
    {
        using var workspace = await QemuWorkspaceAsync();
        workspace.WriteDevice("qemu-console", [.. QemuLines(sshPort: null), "shell: { prompt: '/ # $' }"]);

        var run = await workspace.RunAsync("qemu-console", RunTimeout, workspace.SmokeSpec, workspace.RebootSpec);
        TestContext.WriteLine(run.ToString());

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        JUnitCases.AllPassed(workspace.JUnitFile, BoardSpecs.SmokeTests + BoardSpecs.RebootTests, run.ToString());
    }

    [TestMethod]
    public async Task Qemu_board_over_ssh_runs_the_spec_and_reboots_in_the_middle()
    {
        using var workspace = await QemuWorkspaceAsync();
        using var reserved = LoopbackPort.Reserve();
        var port = reserved.Number;
        workspace.WriteDevice("qemu-ssh",
        [
            .. QemuLines(port),
            "shell: { prompt: '/ # $' }",
            $"ssh: {{ host: 127.0.0.1, port: {port}, user: root, identity: id_ed25519, connect_timeout: 5s,",
            "       options: { StrictHostKeyChecking: 'no', UserKnownHostsFile: /dev/null } }",
        ]);

        var run = await workspace.RunAsync("qemu-ssh", RunTimeout, workspace.SmokeSpec, workspace.RebootSpec);
        TestContext.WriteLine(run.ToString());

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        JUnitCases.AllPassed(workspace.JUnitFile, BoardSpecs.SmokeTests + BoardSpecs.RebootTests, run.ToString());
        StringAssert.Contains(run.Stdout, "ssh root@127.0.0.1", "the run names the device's transports");
    }

    [TestMethod]
    public async Task Qemu_killed_in_the_middle_of_a_test_fails_it_as_device_lost_and_the_next_test_runs_on_a_new_boot()
    {
        using var workspace = await QemuWorkspaceAsync();
        var name = "qemu-lost-" + Guid.NewGuid().ToString("N")[..8];
        workspace.WriteDevice(name, [.. QemuLines(sshPort: null), "shell: { prompt: '/ # $' }"]);
        var spec = workspace.WriteSpec("lost.spec.yml", """
            name: lost
            sequence:
              - tests:
                  - name: hang
                    command: 'echo hanging; sleep 300'
                    timeout: 4m
                  - name: after
                    command: 'test "$(hostname)" = devicetest-qemu'
            """);

        var running = workspace.RunAsync(name, RunTimeout, spec);
        var pid = await WaitForHangingTestAsync(workspace, name, running);
        Process.GetProcessById(pid).Kill();
        var run = await running;
        TestContext.WriteLine(run.ToString());

        Assert.AreEqual(1, run.ExitCode, run.ToString());
        var cases = JUnitCases.Read(workspace.JUnitFile);
        Assert.AreEqual(2, cases.Count, run.ToString());
        var hang = cases.Single(c => c.Name == "hang").Failure;
        Assert.IsNotNull(hang, run.ToString());
        StringAssert.StartsWith(hang, "device lost: ");
        StringAssert.Contains(hang, "started it again) and the device was back after");
        Assert.IsNull(cases.Single(c => c.Name == "after").Failure, run.ToString());
        Assert.IsFalse(QemuProcesses.Find(name).Any(), "devicetest stopped the QEMU it started again");
    }

    /// <summary>The qemu section, with the kernel and initramfs given relative to devices.yml.</summary>
    internal static string[] QemuLines(int? sshPort) =>
    [
        "qemu: { kernel: vmlinuz, initrd: initramfs.cpio.gz, append: 'console=ttyS0 quiet no_timer_check', memory: 256"
            + (sshPort is { } port ? $", forwards: ['tcp:127.0.0.1:{port}-:22'] }}" : " }"),
    ];

    /// <summary>A workspace with the board's kernel, initramfs and key linked next to devices.yml.</summary>
    internal static async Task<BoardWorkspace> QemuWorkspaceAsync()
    {
        await QemuBoard.RequireAsync(CancellationToken.None);
        var workspace = new BoardWorkspace();
        File.CreateSymbolicLink(Path.Combine(workspace.Directory, "vmlinuz"), QemuBoard.KernelPath);
        File.CreateSymbolicLink(Path.Combine(workspace.Directory, "initramfs.cpio.gz"), QemuBoard.InitrdPath);
        var key = Path.Combine(workspace.Directory, "id_ed25519");
        File.Copy(QemuBoard.KeyPath, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return workspace;
    }

    /// <summary>Waits until the test "hang" runs (its results folder exists and QEMU printed its output); returns QEMU's pid.</summary>
    private static async Task<int> WaitForHangingTestAsync(BoardWorkspace workspace, string deviceName, Task<BoardRunResult> running)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (running.IsCompleted)
            {
                Assert.Fail($"devicetest ended before the test hung: {await running}");
            }

            var log = Directory.Exists(workspace.ResultsDirectory)
                ? Directory.EnumerateFiles(workspace.ResultsDirectory, "console.log", SearchOption.AllDirectories)
                    .FirstOrDefault(p => p.Contains("hang", StringComparison.Ordinal))
                : null;
            if (log is not null && QemuProcesses.Find(deviceName).FirstOrDefault() is var pid and > 0)
            {
                await Task.Delay(1500);
                return pid;
            }

            await Task.Delay(200);
        }

        Assert.Fail("the test 'hang' did not start within 2 minutes");
        return 0;
    }
}
