using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceTest.Lab;
using DeviceTest.Lab.Ssh;

namespace DeviceTest.Tasks.Tests;

/// <summary>
/// From packages only: <c>dotnet pack</c> the solution into a folder, create a brand-new test project in a temp
/// directory that references DeviceTest's packages from that folder alone (package source mapping), with a spec, a C#
/// suite and <c>DeviceArtifact</c> items, and run <c>dotnet test</c> against <c>local</c> and the SSH board. The project
/// has exactly the package references docs/getting-started.md shows (Test SDK, TestAdapter, Tasks).
/// </summary>
[TestClass]
[TestCategory("e2e")]
public sealed class PackageEndToEndTests
{
    private static string s_feed = string.Empty;

    [ClassInitialize]
    public static async Task PackAsync(TestContext context)
    {
        _ = context;
        s_feed = await PackedFeed.GetAsync();
        foreach (var id in PackedFeed.PackageIds.Where(id => id != "DeviceTest.Templates"))
        {
            Assert.IsTrue(File.Exists(Path.Combine(s_feed, $"{id}.{PackedFeed.Version}.snupkg")), $"{id} has no symbols package");
        }
    }

    [TestMethod]
    public async Task Dotnet_test_deploys_to_local_and_runs_spec_and_suite()
    {
        using var project = NewTestProject(device: null);
        await RunScenarioAsync(project, [], []);
    }

    [TestMethod]
    public async Task Dotnet_test_deploys_to_the_ssh_board_and_runs_spec_and_suite_there()
    {
        LabRequirement.Programs("sshd", "ssh", "ssh-keygen", "tar");
        await using var board = await SshBoard.StartAsync();
        using var project = NewTestProject(board);
        await RunScenarioAsync(project, ["-p:Device=board"], ["DeviceTest.Device=board"], board);
        StringAssert.StartsWith(await File.ReadAllTextAsync(Path.Combine(project.DeviceRoot, "where.txt")), "ssh=127.0.0.1 ", "the tests ran over SSH on the board that was deployed to");
    }

    private static async Task RunScenarioAsync(TestProjectDirectory project, string[] extra, string[] runSettings, SshBoard? board = null)
    {
        var first = await project.TestAsync(extra);
        Assert.AreEqual(0, first.Code, first.Output);
        if (board is not null)
        {
            // MSBuild's deploy logged in; the test host (another process) ran the tests over the same connection.
            Assert.AreEqual(1, board.Logins, "one SSH login for the deploy and the tests of one dotnet test:\n" + board.Log);
        }

        StringAssert.Contains(first.Output, "2 file(s) sent, 0 unchanged file(s) skipped");
        StringAssert.Contains(first.Output, "Passed script-runs");
        StringAssert.Contains(first.Output, "Passed Data_arrived");
        StringAssert.Contains(first.Output, "Passed Runs_where_deployed");
        Assert.AreEqual("755", TempProject.Mode(Path.Combine(project.DeviceRoot, "bin", "check.sh")));

        var second = await project.TestAsync(extra);
        Assert.AreEqual(0, second.Code, second.Output);
        StringAssert.Contains(second.Output, "0 file(s) sent, 2 unchanged file(s) skipped");
        StringAssert.Contains(second.Output, "Passed: 4");

        await File.WriteAllTextAsync(Path.Combine(project.Directory, "payload", "data.txt"), "payload-v2\n");
        var changed = await project.TestAsync([.. extra, "--no-build"]);
        Assert.AreEqual(1, changed.Code, "the suite expects v1, so it fails on v2, which shows v2 arrived:\n" + changed.Output);
        StringAssert.Contains(changed.Output, "1 file(s) sent, 1 unchanged file(s) skipped");
        StringAssert.Contains(changed.Output, "Failed Data_arrived");
        Assert.AreEqual("payload-v2\n", await File.ReadAllTextAsync(Path.Combine(project.DeviceRoot, "data.txt")));

        await File.WriteAllTextAsync(Path.Combine(project.Directory, "payload", "data.txt"), "payload-v1\n");
        File.Delete(Path.Combine(project.DeviceRoot, "bin", "check.sh"));
        var removed = await project.TestAsync(extra);
        Assert.AreEqual(0, removed.Code, removed.Output);
        StringAssert.Contains(removed.Output, "2 file(s) sent, 0 unchanged file(s) skipped");

        // Test Explorer and vstest.console run the dll without MSBuild's dotnet test hook: the adapter deploys itself.
        File.Delete(Path.Combine(project.DeviceRoot, "bin", "check.sh"));
        var dll = Path.Combine(project.Directory, "bin", "Debug", "net10.0", "E2E.Tests.dll");
        var explorer = await RunAsync(project.Directory, TimeSpan.FromMinutes(5), ["vstest", dll, "--logger:console;verbosity=normal", .. runSettings.Length > 0 ? ["--", .. runSettings] : Array.Empty<string>()]);
        Assert.AreEqual(0, explorer.Code, explorer.Output);
        StringAssert.Contains(explorer.Output, "1 file(s) sent, 1 unchanged file(s) skipped");
        StringAssert.Contains(explorer.Output, "Passed script-runs");
        Assert.AreEqual("755", TempProject.Mode(Path.Combine(project.DeviceRoot, "bin", "check.sh")));
    }

    private static TestProjectDirectory NewTestProject(SshBoard? device)
    {
        var project = new TestProjectDirectory();
        var root = project.DeviceRoot;
        project.Write("nuget.config", PackedFeed.NuGetConfig(s_feed));
        project.Write("E2E.Tests.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <IsTestProject>true</IsTestProject>
                <DeviceTestDevicesFile>devices.yml</DeviceTestDevicesFile>
                <DeviceTestDeployManifest>{root}/.manifest</DeviceTestDeployManifest>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageReference Include="DeviceTest.TestAdapter" Version="{PackedFeed.Version}" />
                <PackageReference Include="DeviceTest.Tasks" Version="{PackedFeed.Version}" />
              </ItemGroup>
              <ItemGroup>
                <DeviceArtifact Include="payload/check.sh" TargetPath="{root}/bin/check.sh" Mode="755" />
                <DeviceArtifact Include="payload/data.txt" TargetPath="{root}/data.txt" />
              </ItemGroup>
            </Project>
            """);
        project.Write("payload/check.sh", "#!/bin/sh\necho checked\n");
        project.Write("payload/data.txt", "payload-v1\n");
        project.Write("deployed.spec.yml", $"""
            name: deployed
            sequence:
              - tests:
                  - name: script-runs
                    command: [{root}/bin/check.sh]
            """);
        project.Write("DeployedSuite.cs", $$"""
            using DeviceTest.Framework.Suites;
            using DeviceTest.Hardware;

            namespace E2E.Tests;

            [DeviceSuite]
            public sealed class DeployedSuite(IDevice device)
            {
                [DeviceTest(Timeout = "60s")]
                public async Task Data_arrived(CancellationToken ct)
                {
                    var result = await device.RunAsync("cat {{root}}/data.txt", ct);
                    if (result.Stdout.Trim() != "payload-v1") throw new InvalidOperationException("data.txt holds: " + result.Stdout + result.Stderr);
                }

                [DeviceTest(Timeout = "60s")]
                public async Task Records_where_it_runs(CancellationToken ct)
                {
                    var result = await device.RunAsync("echo \"ssh=$SSH_CONNECTION\" > {{root}}/where.txt", ct);
                    if (result.ExitCode != 0) throw new InvalidOperationException(result.Stderr);
                }

                [DeviceTest(Timeout = "60s")]
                public async Task Runs_where_deployed(CancellationToken ct)
                {
                    var result = await device.RunAsync("{{root}}/bin/check.sh", ct);
                    if (result.Stdout.Trim() != "checked") throw new InvalidOperationException("check.sh said: " + result.Stdout + result.Stderr);
                }
            }
            """);
        var devices = new StringBuilder("devices:\n");
        if (device is not null)
        {
            var options = string.Join(", ", device.ClientOptions.Select(o => $"{o.Key}: '{o.Value}'"));
            devices.Append(CultureInfo.InvariantCulture, $"  board:\n    ssh: {{ host: {device.Host}, port: {device.Port}, user: {device.User}, identity: '{device.IdentityFile}', options: {{ {options} }} }}\n");
        }

        project.Write("devices.yml", devices.ToString());
        return project;
    }

    private static Task<(int Code, string Output)> RunAsync(string directory, TimeSpan timeout, params string[] arguments) =>
        PackedFeed.DotnetAsync(directory, timeout, null, arguments);

    private sealed class TestProjectDirectory : IDisposable
    {
        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("dt-e2e-").FullName;

        public string DeviceRoot => Path.Combine(Directory, "device");

        public void Write(string relative, string text)
        {
            var path = Path.Combine(Directory, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        public Task<(int Code, string Output)> TestAsync(string[] extra) =>
            RunAsync(Directory, TimeSpan.FromMinutes(10), ["test", "-nodeReuse:false", "-v:n", .. extra]);

        public void Dispose()
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
