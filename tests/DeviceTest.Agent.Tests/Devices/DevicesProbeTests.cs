using DeviceTest.Agent.Tests.Cli;
using DeviceTest.Lab.Power;
using DeviceTest.Lab.Serial;
using DeviceTest.Lab.Ssh;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Devices;

/// <summary><c>devicetest devices</c> probes each transport of each device separately.</summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
[DoNotParallelize]
public sealed class DevicesProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [TestMethod]
    public async Task Each_transport_says_whether_it_answers_and_an_unreachable_device_gives_exit_code_3()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen");
        using var cts = new CancellationTokenSource(Timeout);
        await using var ssh = await SshBoard.StartAsync(cts.Token);
        await using var pty = await PtyShellBoard.StartAsync();
        await using var pdu = await PdudaemonLab.StartAsync(cts.Token);
        using var workspace = await QemuRunTests.QemuWorkspaceAsync();
        using var closedPort = LoopbackPort.Reserve(); // held, so nothing of ours listens there meanwhile
        var closed = closedPort.Number;
        File.WriteAllText(workspace.DevicesFile, string.Join("\n",
        [
            "devices:",
            "  ssh-board:",
            .. SameSpecOnEveryBoardTests.SshEntry(ssh).Select(l => "    " + l),
            "  pty-board:",
            $"    serial: {{ port: {BoardWorkspace.Quote(pty.TtyPath)} }}",
            $"    shell: {{ prompt: '{PtyShellBoard.PromptPattern}' }}",
            $"    power: {{ pdudaemon: {{ url: '{pdu.Url}', hostname: {PdudaemonLab.PduHostname}, port: 1 }} }}",
            "  qemu-board:",
            .. QemuRunTests.QemuLines(sshPort: null).Select(l => "    " + l),
            "  gone:",
            $"    ssh: {{ host: 127.0.0.1, port: {closed}, user: nobody, connect_timeout: 2s }}",
            "    power: { pdudaemon: { url: 'http://127.0.0.1:9', hostname: pdu, port: 1 } }",
            string.Empty,
        ]));

        var run = await BoardRunProcess.RunAsync(workspace.Elsewhere, Timeout, "devices", "--devices", workspace.DevicesFile);
        var text = run.Stdout;

        Assert.AreEqual(3, run.ExitCode, run.ToString());
        StringAssert.Matches(Section(text, "ssh-board"), new(@"ssh:\s+answers \(\d+ ms\)"), run.ToString());
        StringAssert.Contains(Section(text, "pty-board"), "shell prompt on", run.ToString());
        StringAssert.Contains(Section(text, "pty-board"), $"pdudaemon at {pdu.Url} answers", run.ToString());
        StringAssert.Contains(Section(text, "qemu-board"), Path.Combine(workspace.Directory, "vmlinuz"), "relative to devices.yml");
        StringAssert.Contains(Section(text, "qemu-board"), "ready to boot", run.ToString());
        StringAssert.Matches(Section(text, "gone"), new(@"ssh:\s+NOT ANSWERING: .*Connection refused"), run.ToString());
        StringAssert.Matches(Section(text, "gone"), new(@"power:\s+NOT ANSWERING: pdudaemon"), run.ToString());
        Assert.IsEmpty(pdu.ReadStates(), "probing switches nothing");
    }

    [TestMethod]
    public async Task With_boot_a_qemu_board_is_booted_and_probed()
    {
        using var workspace = await QemuRunTests.QemuWorkspaceAsync();
        workspace.WriteDevice("qemu-board", [.. QemuRunTests.QemuLines(sshPort: null), "shell: { prompt: '/ # $' }"]);

        var run = await BoardRunProcess.RunAsync(workspace.Elsewhere, Timeout, "devices", "--devices", workspace.DevicesFile, "--boot");

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Matches(Section(run.Stdout, "qemu-board"), new(@"status:\s+answers \(\d+ ms\)"), run.ToString());
        Assert.IsFalse(QemuProcesses.Find("qemu-board").Any(), "the probe stops the QEMU it booted");
    }

    /// <summary>The lines of one device in the listing.</summary>
    private static string Section(string text, string device)
    {
        var start = text.IndexOf("\n  " + device + "\n", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, start, $"no device {device} in:\n{text}");
        var end = text.IndexOf("\n  ", start + 3 + device.Length, StringComparison.Ordinal);
        while (end >= 0 && text[end + 3] == ' ')
        {
            end = text.IndexOf("\n  ", end + 3, StringComparison.Ordinal);
        }

        return end < 0 ? text[start..] : text[start..end];
    }
}
