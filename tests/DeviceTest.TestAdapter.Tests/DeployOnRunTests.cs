using System.Text.Json;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;
using DeviceTest.TestAdapter.Execution;
using DeviceTest.Framework.Leasing;
using DeviceTest.TestAdapter.Tests.Fakes;
using TestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>
/// The adapter puts the project's <c>DeviceArtifact</c> items (listed by the build in
/// <c>&lt;TargetName&gt;.devicetest-deploy.json</c>) on each device before its first test, as Test Explorer needs.
/// </summary>
[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeployOnRunTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Artifacts_arrive_on_local_before_the_first_test_and_a_second_run_sends_nothing()
    {
        using var project = new SpecProject();
        var device = Path.Combine(project.Directory, "device");
        var probe = WriteLocal(project, "tools/probe.sh", "#!/bin/sh\necho probe-ok\n");
        project.AddSpec("uses.spec.yml", $"""
            name: uses
            sequence:
              - tests:
                  - name: probe runs
                    command: {device}/bin/probe.sh
            """);
        WriteList(project, [new("tools/probe.sh", probe, $"{device}/bin/probe.sh", "755")]);

        var first = await RunAsync(project, "<RunSettings />");
        Assert.AreEqual(TestOutcome.Passed, first.Result("probe runs").Outcome, first.Result("probe runs").ErrorMessage);
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(Path.Combine(device, "bin", "probe.sh")));
        StringAssert.Contains(Informational(first), "DeviceArtifact items on 'local': 1 file(s) sent, 0 unchanged file(s) skipped");

        var second = await RunAsync(project, "<RunSettings />");
        Assert.AreEqual(TestOutcome.Passed, second.Result("probe runs").Outcome);
        StringAssert.Contains(Informational(second), "0 file(s) sent, 1 unchanged file(s) skipped");

        File.Delete(Path.Combine(device, "bin", "probe.sh"));
        var third = await RunAsync(project, "<RunSettings />");
        Assert.AreEqual(TestOutcome.Passed, third.Result("probe runs").Outcome, "a file removed on the device is sent again");
        StringAssert.Contains(Informational(third), "1 file(s) sent, 0 unchanged file(s) skipped");
    }

    [TestMethod]
    public async Task A_missing_artifact_fails_the_tests_with_its_code_and_nothing_runs_on_the_device()
    {
        using var project = new SpecProject();
        var marker = Path.Combine(project.Directory, "ran");
        project.AddSpec("uses.spec.yml", $"""
            name: uses
            sequence:
              - tests:
                  - name: would run
                    command: touch {marker}
            """);
        WriteList(project, [new("tools/missing.sh", Path.Combine(project.Directory, "tools", "missing.sh"), "/opt/missing.sh", null)]);

        var sink = await RunAsync(project, "<RunSettings />");

        var result = sink.Result("would run");
        Assert.AreEqual(TestOutcome.Failed, result.Outcome);
        StringAssert.Contains(result.ErrorMessage, "DT2010");
        StringAssert.Contains(result.ErrorMessage, "DeviceArtifact 'tools/missing.sh' does not exist");
        Assert.IsTrue(sink.Errors.Any(e => e.Contains("DT2010", StringComparison.Ordinal)), string.Join("\n", sink.Errors));
        Assert.IsFalse(File.Exists(marker), "no test may run on a device that lacks its artifacts");
    }

    [TestMethod]
    public async Task A_relative_target_path_is_reported_with_its_code()
    {
        using var project = new SpecProject();
        var file = WriteLocal(project, "tools/a.sh", "x");
        project.AddSpec("uses.spec.yml", """
            name: uses
            sequence:
              - tests:
                  - name: t
                    command: "true"
            """);
        WriteList(project, [new("tools/a.sh", file, "opt/a.sh", null, "/src/My.Tests.csproj")]);

        var sink = await RunAsync(project, "<RunSettings />");

        var message = sink.Result("t").ErrorMessage;
        StringAssert.Contains(message, "/src/My.Tests.csproj: error DT2012: DeviceArtifact 'tools/a.sh': TargetPath 'opt/a.sh' is relative");
    }

    [TestMethod]
    public async Task A_corrupt_list_skips_the_tests_with_a_message_to_rebuild()
    {
        using var project = new SpecProject();
        project.AddSpec("uses.spec.yml", """
            name: uses
            sequence:
              - tests:
                  - name: t
                    command: "true"
            """);
        await File.WriteAllTextAsync(DeployList.PathFor(project.Source), "{ not json", TestContext.CancellationToken);

        var sink = await RunAsync(project, "<RunSettings />");

        Assert.AreEqual(TestOutcome.Skipped, sink.Result("t").Outcome);
        Assert.IsTrue(sink.Errors.Any(e => e.Contains("Rebuild the test project", StringComparison.Ordinal)), string.Join("\n", sink.Errors));
    }

    [TestMethod]
    public async Task Artifacts_go_to_the_ssh_device_chosen_by_tags()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "setsid", "pgrep", "tar");
        await using var board = await SshBoard.StartAsync();
        using var project = new SpecProject();
        var device = Path.Combine(project.Directory, "device");
        var data = WriteLocal(project, "payload/data.txt", "payload\n");
        project.AddSpec("uses.spec.yml", $"""
            name: uses
            sequence:
              - tests:
                  - name: data arrived
                    command: grep -qx payload {device}/data.txt && echo "$SSH_CONNECTION"
            """);
        WriteList(project, [new("payload/data.txt", data, $"{device}/data.txt", null)], manifest: $"{device}/.manifest");
        var options = string.Join(", ", board.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "lab-devices.yml"), $"""
            devices:
              ssh-board:
                tags: [lab]
                ssh: {"{"} host: {board.Host}, port: {board.Port}, user: {board.User}, identity: '{board.IdentityFile}', options: {"{"} {options} {"}"} {"}"}
            """, TestContext.CancellationToken);

        var sink = await RunAsync(project, "<RunSettings><DeviceTest><DevicesFile>lab-devices.yml</DevicesFile><Tags>lab</Tags></DeviceTest></RunSettings>");

        var result = sink.Result("data arrived");
        Assert.AreEqual(TestOutcome.Passed, result.Outcome, result.ErrorMessage + string.Join("\n", sink.Errors));
        Assert.AreEqual("ssh-board", result.ComputerName);
        StringAssert.Contains(Informational(sink), "DeviceArtifact items on 'ssh-board': 1 file(s) sent");
        Assert.IsTrue(File.Exists(Path.Combine(device, ".manifest")), "the device keeps its record where the project said");
    }

    [TestMethod]
    public async Task The_build_lists_the_artifacts_with_odd_characters_intact_and_removes_the_list_without_them()
    {
        using var project = new SpecProject();
        var odd = WriteLocal(project, "we\"ird/a b.sh", "x");
        var targets = Path.Combine(Dotnet.RepositoryRoot, "src", "TestAdapter", "build", "DeviceTest.TestAdapter.targets");
        var projectFile = Path.Combine(project.Directory, "list.proj");
        string Project(string items, string properties = "") => $"""
            <Project>
              <PropertyGroup>
                <TargetDir>{Path.GetDirectoryName(project.Source)}/</TargetDir>
                <TargetName>My.Tests</TargetName>
                <BaseIntermediateOutputPath>obj/</BaseIntermediateOutputPath>
                <DeviceTestDeployManifest>/var/lib/x y/m.manifest</DeviceTestDeployManifest>
                {properties}
              </PropertyGroup>
              <ItemGroup>{items}</ItemGroup>
              <Target Name="CopyFilesToOutputDirectory" />
              <Import Project="{targets}" />
            </Project>
            """;
        await File.WriteAllTextAsync(projectFile, Project("""<DeviceArtifact Include="we&quot;ird/a b.sh" TargetPath="/opt/a b&quot;.sh" Mode="0755" />"""), TestContext.CancellationToken);
        var (code, output) = await Dotnet.RunAsync(["msbuild", projectFile, "-t:CopyFilesToOutputDirectory", "-nologo", "-v:q", "-nodeReuse:false"]);
        Assert.AreEqual(0, code, output);

        var list = DeployList.TryRead(project.Source, out var error);
        Assert.IsNull(error);
        Assert.IsNotNull(list);
        var item = list.Artifacts.Single();
        Assert.AreEqual(odd, item.LocalPath);
        Assert.AreEqual("/opt/a b\".sh", item.TargetPath);
        Assert.AreEqual("0755", item.Mode);
        Assert.AreEqual(projectFile, item.DefinedIn);
        Assert.AreEqual("list", list.Project);
        Assert.AreEqual("/var/lib/x y/m.manifest", list.Manifest);
        Assert.AreEqual(Path.Combine(project.Directory, "obj", "devicetest", "{device}.deploy-cache"), list.Cache);

        await File.WriteAllTextAsync(projectFile, Project("""<DeviceArtifact Include="we&quot;ird/a b.sh" TargetPath="/opt/a" />""", "<DeviceTestDeployOnTest>false</DeviceTestDeployOnTest>"), TestContext.CancellationToken);
        (code, output) = await Dotnet.RunAsync(["msbuild", projectFile, "-t:CopyFilesToOutputDirectory", "-nologo", "-v:q", "-nodeReuse:false"]);
        Assert.AreEqual(0, code, output);
        Assert.IsFalse(File.Exists(DeployList.PathFor(project.Source)), "DeviceTestDeployOnTest=false: the adapter deploys nothing");
    }

    [TestMethod]
    public async Task Artifacts_that_a_target_produces_reach_the_list_through_DeviceArtifactsDependsOn()
    {
        using var project = new SpecProject();
        var targets = Path.Combine(Dotnet.RepositoryRoot, "src", "TestAdapter", "build", "DeviceTest.TestAdapter.targets");
        var projectFile = Path.Combine(project.Directory, "gen.proj");
        await File.WriteAllTextAsync(projectFile, $"""
            <Project>
              <PropertyGroup>
                <TargetDir>{Path.GetDirectoryName(project.Source)}/</TargetDir>
                <TargetName>My.Tests</TargetName>
                <BaseIntermediateOutputPath>obj/</BaseIntermediateOutputPath>
                <DeviceArtifactsDependsOn>MakeTool</DeviceArtifactsDependsOn>
              </PropertyGroup>
              <Target Name="MakeTool">
                <WriteLinesToFile File="obj/tool.sh" Lines="echo generated" Overwrite="true" />
                <ItemGroup><DeviceArtifact Include="obj/tool.sh" TargetPath="/opt/tool.sh" Mode="755" /></ItemGroup>
              </Target>
              <Target Name="CopyFilesToOutputDirectory" />
              <Import Project="{targets}" />
            </Project>
            """, TestContext.CancellationToken);

        var (code, output) = await Dotnet.RunAsync(["msbuild", projectFile, "-t:CopyFilesToOutputDirectory", "-nologo", "-v:q", "-nodeReuse:false"]);

        Assert.AreEqual(0, code, output);
        var item = DeployList.TryRead(project.Source, out var error)?.Artifacts.Single();
        Assert.IsNull(error);
        Assert.IsNotNull(item);
        Assert.AreEqual(Path.Combine(project.Directory, "obj", "tool.sh"), item.LocalPath);
        Assert.AreEqual("/opt/tool.sh", item.TargetPath);
    }

    private static string WriteLocal(SpecProject project, string relative, string text)
    {
        var path = Path.Combine(project.Directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static void WriteList(SpecProject project, IReadOnlyList<Entry> artifacts, string manifest = "")
    {
        var list = new
        {
            version = 1,
            project = "My.Tests",
            cache = Path.Combine(project.Directory, "obj", "devicetest", "{device}.deploy-cache"),
            manifest,
            artifacts = artifacts.Select(a => new { item = a.Item, path = a.Path, targetPath = a.TargetPath, mode = a.Mode ?? string.Empty, definedIn = a.DefinedIn ?? string.Empty }).ToArray(),
        };
        File.WriteAllText(DeployList.PathFor(project.Source), JsonSerializer.Serialize(list));
    }

    private static string Informational(RecordingSink sink) =>
        string.Join("\n", sink.Messages.Select(m => m.Message));

    private static async Task<RecordingSink> RunAsync(SpecProject project, string runSettings)
    {
        var sink = new RecordingSink();
        var executor = new DeviceTestExecutor(new AdapterServices { Leases = new LeaseDirectory(Path.Combine(project.Directory, "leases")) });
        await Task.Run(() => executor.RunTests([project.Source], new FakeRunContext(runSettings, Path.Combine(project.Directory, "TestResults")), sink));
        return sink;
    }

    private sealed record Entry(string Item, string Path, string TargetPath, string? Mode, string? DefinedIn = null);
}
