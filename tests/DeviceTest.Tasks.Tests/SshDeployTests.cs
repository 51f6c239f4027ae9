using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Tasks.Tests;

/// <summary><c>dotnet msbuild -t:DeployToDevice -p:Device=board</c> against the lab's SSH board (sshd on loopback).</summary>
[TestClass]
public sealed class SshDeployTests
{
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
    public async Task Deploys_with_modes_and_then_only_what_changed_or_went_missing()
    {
        using var project = NewProject();
        var device = project.DeviceRoot;
        var manifest = $"{device}/state/deploy.manifest";
        project.Extra = $"<PropertyGroup><DeviceTestDeployManifest>{manifest}</DeviceTestDeployManifest></PropertyGroup>";
        project.WriteFile("payload/app.conf", "setting=1\n");
        project.WriteFile("payload/run.sh", "#!/bin/sh\necho run\n");
        project.WriteFile("payload/with space & 'quote'.txt", "odd name\n");
        for (var i = 0; i < 30; i++)
        {
            project.WriteFile($"payload/many/{i}.dat", new string((char)('a' + (i % 26)), 1000 + i));
            project.AddArtifact($"payload/many/{i}.dat", $"{device}/opt/app/many/{i % 3}/{i}.dat");
        }

        project.AddArtifact("payload/app.conf", $"{device}/etc/app/app.conf", "640");
        project.AddArtifact("payload/run.sh", $"{device}/opt/app/bin/run.sh", "0755");
        project.AddArtifact("payload/with space & 'quote'.txt", $"{device}/opt/app/with space & 'quote'.txt");

        var first = await project.RunAsync("-t:DeployToDevice", "-p:Device=board");
        Expect.Summary(first, sent: 33, skipped: 0);
        Assert.AreEqual("setting=1\n", await File.ReadAllTextAsync($"{device}/etc/app/app.conf"));
        Assert.AreEqual("odd name\n", await File.ReadAllTextAsync($"{device}/opt/app/with space & 'quote'.txt"));
        Assert.AreEqual(new string('d', 1003), await File.ReadAllTextAsync($"{device}/opt/app/many/0/3.dat"));
        Assert.AreEqual("640", TempProject.Mode($"{device}/etc/app/app.conf"));
        Assert.AreEqual("755", TempProject.Mode($"{device}/opt/app/bin/run.sh"));
        Assert.IsTrue(File.Exists(manifest), "the device keeps a manifest");
        Assert.IsFalse(Directory.EnumerateFileSystemEntries(device, ".devicetest-*", SearchOption.AllDirectories).Any(), "no stage directories left");

        Expect.Summary(await project.RunAsync("-t:DeployToDevice", "-p:Device=board"), sent: 0, skipped: 33);

        project.WriteFile("payload/app.conf", "setting=2\n");
        var changed = await project.RunAsync("-t:DeployToDevice", "-p:Device=board");
        Expect.Summary(changed, sent: 1, skipped: 32);
        StringAssert.Contains(changed.Output, $"sent {device}/etc/app/app.conf");
        Assert.AreEqual("setting=2\n", await File.ReadAllTextAsync($"{device}/etc/app/app.conf"));
        Assert.AreEqual("640", TempProject.Mode($"{device}/etc/app/app.conf"));

        File.Delete($"{device}/opt/app/many/1/4.dat");
        var removed = await project.RunAsync("-t:DeployToDevice", "-p:Device=board");
        Expect.Summary(removed, sent: 1, skipped: 32);
        StringAssert.Contains(removed.Output, $"sent {device}/opt/app/many/1/4.dat");

        // Only the mode of a file without a Mode of its own changed here (its content and time did not): it goes again.
        var odd = Path.Combine(project.Directory, "payload", "with space & 'quote'.txt");
        var time = File.GetLastWriteTimeUtc(odd);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(odd, File.GetUnixFileMode(odd) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        File.SetLastWriteTimeUtc(odd, time);
        var chmodded = await project.RunAsync("-t:DeployToDevice", "-p:Device=board");
        Expect.Summary(chmodded, sent: 1, skipped: 32);
        Assert.AreEqual("755", TempProject.Mode($"{device}/opt/app/with space & 'quote'.txt"));

        // Another checkout (no local cache): the device's manifest, checked against the files, says nothing changed.
        Directory.Delete(Path.Combine(project.Directory, "obj"), recursive: true);
        Expect.Summary(await project.RunAsync("-t:DeployToDevice", "-p:Device=board"), sent: 0, skipped: 33);

        // The device was re-flashed: everything is gone, the caches are stale; all of it goes again.
        Directory.Delete(device, recursive: true);
        Expect.Summary(await project.RunAsync("-t:DeployToDevice", "-p:Device=board"), sent: 33, skipped: 0);
    }

    [TestMethod]
    public async Task Cancelling_the_build_mid_transfer_leaves_no_partial_file()
    {
        // The board's real sshd, but a login whose tar takes the archive at most 640 KiB/s: 128 MiB take over three
        // minutes, so once the staged file is growing the transfer cannot finish before the SIGINT lands, however busy
        // the machine is (on the full-speed stream, 1.5 GB could finish between seeing the stage file and the cancel).
        using var project = new TempProject();
        using var slowTar = await SlowTarLogin.CreateAsync(Board, project.Directory);
        WriteDevicesFile(project, slowTar.IdentityFile);
        const long size = 128L << 20;
        Assert.IsGreaterThan(TimeSpan.FromMinutes(3).TotalSeconds, (double)size / SlowTarLogin.MaxBytesPerSecond, "the transfer must take longer than the cancel can");
        var target = $"{project.DeviceRoot}/big.img";
        await File.WriteAllTextAsync(target, "old version");
        var big = Path.Combine(project.Directory, "big.img");
        await using (var stream = File.Create(big))
        {
            var block = new byte[1 << 20];
            Random.Shared.NextBytes(block);
            for (var i = 0; i < size >> 20; i++)
            {
                await stream.WriteAsync(block);
            }
        }

        project.AddArtifact("big.img", target);
        project.Extra = "<PropertyGroup><DeviceTestDeployManifest>none</DeviceTestDeployManifest></PropertyGroup>";
        using var process = project.Start(["-t:DeployToDevice", "-p:Device=board"]);
        var output = new StringBuilder();
        var pump = TempProject.PumpAsync(process, output, null);
        MSBuildRun run;
        long stagedBytes;
        try
        {
            // Cancel only once the transfer demonstrably runs: the staged file on the device exists and grows. Watch
            // the device, not the build's log, which may lag behind on a busy machine.
            (var stage, stagedBytes) = await WaitForGrowingStageFileAsync(project.DeviceRoot, TimeSpan.FromMinutes(3));
            Assert.IsNotNull(stage, "the transfer never started (no growing .devicetest-stage-* file on the device):\n" + output);
            Assert.IsLessThan(size, stagedBytes, "the transfer was still under way when the SIGINT was sent");
            Assert.IsFalse(Interruptible.SigintIgnored(process.Id), "the build ignores SIGINT (inherited from the test run), so it cannot be cancelled like this");
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                string soFar;
                lock (output)
                {
                    soFar = output.ToString();
                }

                Assert.Fail($"the build did not end within 2 minutes of the SIGINT ({stagedBytes} bytes were staged); its output so far:\n{soFar}");
            }

            await pump;
            run = new MSBuildRun(process.ExitCode, output.ToString());
        }
        finally
        {
            if (!process.HasExited)
            {
                // A failed wait must not leave the build (and its slow transfer) running.
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.IsFalse(run.Succeeded, $"SIGINT was sent with {stagedBytes} of {size} bytes staged, yet the build succeeded: {run}");
        StringAssert.Contains(run.Output, "error " + ErrorCodes.Cancelled, run.ToString());
        Expect.NoStackTrace(run);
        Assert.AreEqual("old version", await File.ReadAllTextAsync(target), "the target must keep its old, whole content");

        var deadline = Stopwatch.StartNew();
        while (Directory.EnumerateFileSystemEntries(project.DeviceRoot, ".devicetest-*", SearchOption.AllDirectories).Any() && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
        }

        CollectionAssert.AreEqual(new[] { "big.img" }, Directory.GetFileSystemEntries(project.DeviceRoot).Select(Path.GetFileName).ToArray(), "the device removes its temporary files");
    }

    [TestMethod]
    public async Task A_full_disk_on_the_device_is_a_coded_error()
    {
        using var project = NewProject();
        var mount = Path.Combine(project.DeviceRoot, "small");
        using var tmpfs = await SmallDisk.MountAsync(mount, "1m");
        project.WriteFile("payload/big.bin", new string('z', 3 * 1024 * 1024));
        project.AddArtifact("payload/big.bin", $"{mount}/big.bin");
        project.Extra = "<PropertyGroup><DeviceTestDeployManifest>none</DeviceTestDeployManifest></PropertyGroup>";
        var run = await project.RunAsync("-t:DeployToDevice", "-p:Device=board");
        Expect.FailedWith(run, "DT2021", "board");
        Assert.IsFalse(Directory.EnumerateFileSystemEntries(mount).Any(), "nothing partial is left");
    }

    [TestMethod]
    public async Task An_unreachable_device_is_a_coded_error_naming_it()
    {
        using var project = NewProject();
        using var closed = LoopbackPort.Reserve();
        project.WriteDevicesFile($"""
            devices:
              gone:
                ssh: {"{"} host: 127.0.0.1, port: {closed.Number}, user: root, identity: {Board.IdentityFile}, connect_timeout: 5s {"}"}
            """);
        project.WriteFile("payload/a", "a");
        project.AddArtifact("payload/a", $"{project.DeviceRoot}/a");
        var run = await project.RunAsync("-t:DeployToDevice", "-p:DeviceTestDevice=gone");
        Expect.FailedWith(run, "DT2003", "gone", Path.Combine(project.Directory, "devices.yml"));
    }

    [TestMethod]
    public async Task ComputeAvailableDevices_says_the_board_is_online()
    {
        using var project = NewProject();
        project.Extra = """
              <Target Name="Show" DependsOnTargets="ComputeAvailableDevices">
                <Message Importance="high" Text="DEV %(Devices.Identity)|%(Devices.Type)|%(Devices.Status)" />
              </Target>
            """;
        var run = await project.RunAsync("-t:Show");
        Expect.Succeeded(run);
        StringAssert.Contains(run.Output, "DEV board|Device|Online");
        StringAssert.Contains(run.Output, "DEV local|Device|Online");
    }

    [TestMethod]
    public async Task RunOnDevice_and_WaitForDevice_use_the_chosen_device()
    {
        using var project = NewProject();
        project.Extra = """
              <Target Name="Check">
                <WaitForDevice Device="$(Device)" DevicesFile="devices.yml" Timeout="60s" />
                <RunOnDevice Device="$(Device)" DevicesFile="devices.yml" Command="echo on-board $SSH_CONNECTION" />
              </Target>
            """;
        var run = await project.RunAsync("-t:Check", "-p:Device=board");
        Expect.Succeeded(run);
        StringAssert.Contains(run.Output, "'board' is ready");
        StringAssert.Contains(run.Output, "on-board 127.0.0.1");
    }

    private static TempProject NewProject()
    {
        var project = new TempProject();
        WriteDevicesFile(project, Board.IdentityFile);
        return project;
    }

    private static void WriteDevicesFile(TempProject project, string identity) => project.WriteBoardDevicesFile(Board, identity);

    /// <summary>The first staged file under <paramref name="root"/> once it has been seen growing, and its size then; (null, 0) if none grew in time.</summary>
    private static async Task<(string? Path, long Bytes)> WaitForGrowingStageFileAsync(string root, TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        string? stage = null;
        var seen = 0L;
        while (stopwatch.Elapsed < within)
        {
            try
            {
                stage ??= Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                    .FirstOrDefault(f => f.Contains(".devicetest-stage-", StringComparison.Ordinal));
                if (stage is not null)
                {
                    var bytes = new FileInfo(stage).Length;
                    if (seen > 0 && bytes > seen)
                    {
                        return (stage, bytes);
                    }

                    seen = Math.Max(seen, bytes);
                }
            }
            catch (IOException)
            {
                // The staging directory came or went while we looked.
            }

            await Task.Delay(50);
        }

        return (null, 0);
    }
}
