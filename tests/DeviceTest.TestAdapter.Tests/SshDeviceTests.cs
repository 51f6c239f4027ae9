using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;
using DeviceTest.TestAdapter.Execution;
using DeviceTest.Framework.Leasing;
using DeviceTest.TestAdapter.Tests.Fakes;
using TestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>The executor against a real SSH board (the lab's sshd on loopback), named in a devices.yml.</summary>
[TestClass]
public sealed class SshDeviceTests
{
    [TestMethod]
    public async Task A_spec_runs_on_the_device_named_in_the_runsettings()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid", "pgrep");
        await using var board = await SshBoard.StartAsync();
        using var project = new SpecProject();
        project.AddSpec("remote.spec.yml", """
            name: remote
            sequence:
              - tests:
                  - name: whoami
                    command: id -un
                  - name: fails remotely
                    command: exit 4
            """);
        var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        File.WriteAllText(Path.Combine(project.Directory, "lab-devices.yml"), $"""
            devices:
              ssh-board:
                tags: [lab]
                ssh: {"{"} host: {board.Host}, port: {board.Port}, user: {board.User}, identity: '{board.IdentityFile}', options: {"{"} {options} {"}"} {"}"}
            """);
        var sink = new RecordingSink();
        var executor = new DeviceTestExecutor(new AdapterServices { Leases = new LeaseDirectory(Path.Combine(project.Directory, "leases")) });

        await Task.Run(() => executor.RunTests(
            [project.Source],
            new FakeRunContext(
                "<RunSettings><DeviceTest><DevicesFile>lab-devices.yml</DevicesFile><Device>ssh-board</Device></DeviceTest></RunSettings>",
                Path.Combine(project.Directory, "TestResults")),
            sink));

        Assert.IsEmpty(sink.Errors.ToList(), string.Join("\n", sink.Errors));
        var whoami = sink.Result("whoami");
        Assert.AreEqual(TestOutcome.Passed, whoami.Outcome, whoami.ErrorMessage);
        Assert.AreEqual("ssh-board", whoami.ComputerName);
        StringAssert.Contains(string.Concat(whoami.Messages.Select(m => m.Text)), board.User);
        Assert.AreEqual(TestOutcome.Failed, sink.Result("fails remotely").Outcome);
    }
}
