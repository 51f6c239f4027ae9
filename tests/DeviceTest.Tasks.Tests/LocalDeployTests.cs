namespace DeviceTest.Tasks.Tests;

/// <summary><c>dotnet msbuild -t:DeployToDevice</c> against the built-in <c>local</c> device (target paths in a temp dir).</summary>
[TestClass]
public sealed class LocalDeployTests
{
    [TestMethod]
    public async Task Deploys_with_modes_and_then_only_what_changed_or_went_missing()
    {
        using var project = new TempProject();
        var device = project.DeviceRoot;
        project.WriteFile("payload/app.conf", "setting=1\n");
        project.WriteFile("payload/run.sh", "#!/bin/sh\necho run\n");
        project.WriteFile("payload/data.bin", new string('x', 100_000));
        project.AddArtifact("payload/app.conf", $"{device}/etc/app/app.conf", "640");
        project.AddArtifact("payload/run.sh", $"{device}/opt/app/bin/run.sh", "755");
        project.AddArtifact("payload/data.bin", $"{device}/opt/app/data.bin");

        var first = await project.RunAsync("-t:DeployToDevice");
        Expect.Summary(first, sent: 3, skipped: 0);
        StringAssert.Contains(first.Output, $"sent {device}/opt/app/bin/run.sh");
        Assert.AreEqual("setting=1\n", await File.ReadAllTextAsync($"{device}/etc/app/app.conf"));
        Assert.AreEqual("640", TempProject.Mode($"{device}/etc/app/app.conf"));
        Assert.AreEqual("755", TempProject.Mode($"{device}/opt/app/bin/run.sh"));
        Assert.AreEqual(TempProject.Mode(Path.Combine(project.Directory, "payload/data.bin")), TempProject.Mode($"{device}/opt/app/data.bin"));

        Expect.Summary(await project.RunAsync("-t:DeployToDevice"), sent: 0, skipped: 3);

        project.WriteFile("payload/app.conf", "setting=2\n");
        var changed = await project.RunAsync("-t:DeployToDevice");
        Expect.Summary(changed, sent: 1, skipped: 2);
        StringAssert.Contains(changed.Output, $"sent {device}/etc/app/app.conf");
        Assert.AreEqual("setting=2\n", await File.ReadAllTextAsync($"{device}/etc/app/app.conf"));

        File.Delete($"{device}/opt/app/data.bin");
        var removed = await project.RunAsync("-t:DeployToDevice");
        Expect.Summary(removed, sent: 1, skipped: 2);
        StringAssert.Contains(removed.Output, $"sent {device}/opt/app/data.bin");
        Assert.IsTrue(File.Exists($"{device}/opt/app/data.bin"));

        // Edited on the device behind the deploy's back (same size): the time changed, so it is sent again.
        await File.WriteAllTextAsync($"{device}/etc/app/app.conf", "setting=9\n");
        File.SetLastWriteTimeUtc($"{device}/etc/app/app.conf", DateTime.UtcNow.AddMinutes(-5));
        Expect.Summary(await project.RunAsync("-t:DeployToDevice"), sent: 1, skipped: 2);
        Assert.AreEqual("setting=2\n", await File.ReadAllTextAsync($"{device}/etc/app/app.conf"));
    }

    [TestMethod]
    public async Task A_project_without_artifacts_deploys_nothing()
    {
        using var project = new TempProject();
        var run = await project.RunAsync("-t:DeployToDevice");
        Expect.Succeeded(run);
        StringAssert.Contains(run.Output, "no DeviceArtifact items");
    }

    [TestMethod]
    public async Task A_missing_artifact_is_a_coded_error_naming_the_item_and_project()
    {
        using var project = new TempProject();
        project.AddArtifact("payload/nothing-here.bin", $"{project.DeviceRoot}/x.bin");
        var run = await project.RunAsync("-t:DeployToDevice");
        Expect.FailedWith(run, "DT2010", "payload/nothing-here.bin", project.ProjectFile);
    }

    [TestMethod]
    [DataRow("opt/app/run.sh", "DT2012", DisplayName = "relative")]
    [DataRow("./run.sh", "DT2012", DisplayName = "dot relative")]
    [DataRow("/opt/app/../../etc/passwd", "DT2013", DisplayName = "escapes with ..")]
    [DataRow("/opt/app/", "DT2013", DisplayName = "a directory")]
    public async Task A_bad_target_path_is_a_coded_error_naming_the_item(string targetPath, string code)
    {
        using var project = new TempProject();
        project.WriteFile("payload/run.sh", "echo\n");
        project.AddArtifact("payload/run.sh", targetPath);
        var run = await project.RunAsync("-t:DeployToDevice");
        Expect.FailedWith(run, code, "payload/run.sh", targetPath, project.ProjectFile);
    }

    [TestMethod]
    public async Task Missing_target_path_and_bad_mode_are_coded_errors()
    {
        using var project = new TempProject();
        project.WriteFile("payload/a", "a");
        project.WriteFile("payload/b", "b");
        project.AddArtifact("payload/a", null);
        project.AddArtifact("payload/b", $"{project.DeviceRoot}/b", "rwx");
        var run = await project.RunAsync("-t:DeployToDevice");
        Expect.FailedWith(run, "DT2011", "payload/a");
        Expect.FailedWith(run, "DT2014", "payload/b", "rwx");
    }

    [TestMethod]
    public async Task An_unknown_device_is_a_coded_error_listing_the_known_ones()
    {
        using var project = new TempProject();
        project.WriteFile("payload/a", "a");
        project.AddArtifact("payload/a", $"{project.DeviceRoot}/a");
        var run = await project.RunAsync("-t:DeployToDevice", "-p:Device=no-such-board");
        Expect.FailedWith(run, "DT2002", "no-such-board", "local");
    }

    [TestMethod]
    public async Task A_full_disk_is_a_coded_error_and_leaves_no_partial_file()
    {
        using var project = new TempProject();
        var mount = Path.Combine(project.DeviceRoot, "small");
        using var tmpfs = await SmallDisk.MountAsync(mount, "1m");
        await File.WriteAllTextAsync(Path.Combine(mount, "big.bin"), "old");
        project.WriteFile("payload/big.bin", new string('z', 3 * 1024 * 1024));
        project.AddArtifact("payload/big.bin", $"{mount}/big.bin");
        var run = await project.RunAsync("-t:DeployToDevice");
        Expect.FailedWith(run, "DT2021", "local");
        Assert.AreEqual("old", await File.ReadAllTextAsync(Path.Combine(mount, "big.bin")), "the old file must stay whole");
        CollectionAssert.AreEqual(new[] { "big.bin" }, Directory.GetFileSystemEntries(mount).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public async Task Artifacts_that_a_target_produces_are_deployed_through_DeviceArtifactsDependsOn()
    {
        using var project = new TempProject();
        project.Extra = $"""
              <PropertyGroup><DeviceArtifactsDependsOn>MakeTool</DeviceArtifactsDependsOn></PropertyGroup>
              <Target Name="MakeTool">
                <WriteLinesToFile File="obj/tool.sh" Lines="echo generated" Overwrite="true" />
                <ItemGroup><DeviceArtifact Include="obj/tool.sh" TargetPath="{project.DeviceRoot}/bin/tool.sh" Mode="755" /></ItemGroup>
              </Target>
            """;

        var run = await project.RunAsync("-t:DeployToDevice");

        Expect.Succeeded(run);
        Assert.AreEqual("echo generated\n", await File.ReadAllTextAsync(Path.Combine(project.DeviceRoot, "bin", "tool.sh")));
        Assert.AreEqual("755", TempProject.Mode(Path.Combine(project.DeviceRoot, "bin", "tool.sh")));
    }

    [TestMethod]
    public async Task A_qemu_board_is_left_to_the_test_adapter_which_deploys_after_boot()
    {
        using var project = new TempProject();
        project.WriteFile("payload/a.txt", "a");
        project.AddArtifact("payload/a.txt", $"{project.DeviceRoot}/a.txt");
        project.WriteDevicesFile("""
            devices:
              virt:
                qemu: { kernel: vmlinuz-that-is-not-there }
                ssh: { host: 127.0.0.1, port: 1, user: root }
            """);

        // Before: DT2003 "cannot be reached" (nothing listens while no test runs), which failed dotnet test's build.
        var run = await project.RunAsync("-t:DeployToDevice", "-p:Device=virt");

        Expect.Succeeded(run);
        StringAssert.Contains(run.Output, "'virt' is a QEMU board, booted by each test run: the test adapter puts the 1 artifact(s) on it after it boots.");
    }

    [TestMethod]
    public async Task ComputeAvailableDevices_lists_the_devices_file()
    {
        using var project = new TempProject();
        project.WriteDevicesFile("""
            devices:
              closed-board:
                tags: [arm64]
                ssh: { host: 127.0.0.1, port: 1, user: root }
              virt:
                qemu: { kernel: vmlinuz }
            """);
        project.Extra = """
              <Target Name="Show" DependsOnTargets="ComputeAvailableDevices">
                <Message Importance="high" Text="DEV %(Devices.Identity)|%(Devices.Type)|%(Devices.Status)|%(Devices.RuntimeIdentifier)|%(Devices.Description)" />
              </Target>
            """;
        var run = await project.RunAsync("-t:Show");
        Expect.Succeeded(run);
        StringAssert.Contains(run.Output, "DEV local|Device|Online|");
        StringAssert.Contains(run.Output, "DEV closed-board|Device|Offline|linux-arm64|ssh root@127.0.0.1:1 [arm64]");
        StringAssert.Contains(run.Output, "DEV virt|Emulator|Available|linux-x64|qemu x86_64");
    }

    [TestMethod]
    public async Task RunOnDevice_fails_the_build_on_a_non_zero_exit_code_unless_told_not_to()
    {
        using var project = new TempProject();
        project.Extra = """
              <Target Name="Fails"><RunOnDevice Command="echo to-stdout; exit 3" /></Target>
              <Target Name="Ignores">
                <RunOnDevice Command="echo out-line; exit 3" IgnoreExitCode="true"><Output TaskParameter="ExitCode" PropertyName="Code" /></RunOnDevice>
                <Message Importance="high" Text="CODE=$(Code)" />
              </Target>
              <Target Name="Waits"><WaitForDevice Timeout="30s" /></Target>
            """;
        var failed = await project.RunAsync("-t:Fails");
        Expect.FailedWith(failed, "DT2040", "exit 3", "local");
        StringAssert.Contains(failed.Output, "to-stdout");

        var ignored = await project.RunAsync("-t:Ignores");
        Expect.Succeeded(ignored);
        StringAssert.Contains(ignored.Output, "CODE=3");
        StringAssert.Contains(ignored.Output, "out-line");

        var waited = await project.RunAsync("-t:Waits");
        Expect.Succeeded(waited);
        StringAssert.Contains(waited.Output, "'local' is ready");
    }
}
