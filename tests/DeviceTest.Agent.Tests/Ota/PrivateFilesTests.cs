using DeviceTest.Agent.Gateway;
using DeviceTest.Agent.Tests.Gateway;
using DeviceTest.Lab;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>The agent's folders (state, spool, spool-failed) are 0700 and its files 0600: test logs and artifacts are nobody else's.</summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PrivateFilesTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [TestMethod]
    public async Task The_spool_and_everything_in_it_are_private_also_what_is_moved_aside()
    {
        await using var lab = await GatewayLab.StartAsync();
        var state = Path.Combine(lab.Root, "fresh-state");
        using var spool = new UploadSpool(state, lab.Log);
        await spool.StartTestAsync("devicetest-run-00000001", "suite", "lmp-1", CancellationToken.None);
        await spool.CompleteTestAsync("devicetest-run-00000001", new GatewayTestCompletion
        {
            Status = "PASSED",
            Results = [],
            ArtifactPaths = [lab.WriteFile("console.log", "secret test output\n")],
        }, CancellationToken.None);

        Assert.AreEqual(Folder, File.GetUnixFileMode(state));
        foreach (var path in Directory.EnumerateFileSystemEntries(state, "*", SearchOption.AllDirectories).Prepend(state))
        {
            Assert.AreEqual(Directory.Exists(path) ? Folder : File600, File.GetUnixFileMode(path), path);
        }

        // Refused by the gateway: moved to spool-failed with a reason, still private.
        lab.Gateway.Override = (method, _) => method == "POST" ? 400 : null;
        using var client = lab.NewClient();
        await using (var uploader = new SpoolUploader(spool, client, GatewayLab.FastRetries, lab.Log))
        {
            uploader.Start();
            await lab.Gateway.WaitForAsync(_ => spool.PendingCount == 0, TimeSpan.FromSeconds(60), "the spool to be drained");
        }

        var failed = Directory.EnumerateFileSystemEntries(spool.FailedDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.IsTrue(failed.Any(p => p.EndsWith(".reason", StringComparison.Ordinal)), string.Join(", ", failed));
        foreach (var path in failed.Prepend(spool.FailedDirectory))
        {
            Assert.AreEqual(Directory.Exists(path) ? Folder : File600, File.GetUnixFileMode(path), path);
        }
    }

    [TestMethod]
    public async Task A_state_folder_left_open_by_an_older_agent_is_made_private()
    {
        await using var lab = await GatewayLab.StartAsync();
        foreach (var folder in new[] { lab.StateDirectory, Path.Combine(lab.StateDirectory, "spool"), Path.Combine(lab.StateDirectory, "spool-failed") })
        {
            Directory.CreateDirectory(folder);
            File.SetUnixFileMode(folder, (UnixFileMode)0x1ed);
        }

        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);

        Assert.AreEqual(Folder, File.GetUnixFileMode(lab.StateDirectory));
        Assert.AreEqual(Folder, File.GetUnixFileMode(spool.SpoolDirectory));
        Assert.AreEqual(Folder, File.GetUnixFileMode(spool.FailedDirectory));
    }

    [TestMethod]
    public async Task The_agents_run_state_is_private()
    {
        LabRequirement.Programs("busybox");
        const string Slow = """
            sequence:
              - tests:
                  - name: long
                    command: [sh, -c, "touch $MARK; sleep 300"]
                    env: { MARK: MARKFILE }
            """;
        await using var lab = new AgentLab(Slow);
        var mark = Path.Combine(lab.Root, "started");
        File.WriteAllText(lab.SpecPath, Slow.Replace("MARKFILE", mark, StringComparison.Ordinal));
        var agent = lab.Start();
        await AgentLab.WaitUntilAsync(() => File.Exists(mark), "the test to start");

        Assert.AreEqual(Folder, File.GetUnixFileMode(lab.StateDir));
        Assert.AreEqual(File600, File.GetUnixFileMode(lab.StatePath));
        Assert.AreEqual(Folder, File.GetUnixFileMode(lab.ScriptPath), "the callback script: its owner (root) only");
        Assert.AreEqual(File600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Path.Combine(lab.ConfDir, "z-90-devicetest.toml")));
        await agent.TerminateAsync();
    }
}
