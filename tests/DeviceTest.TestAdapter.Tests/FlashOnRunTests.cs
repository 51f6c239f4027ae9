using DeviceTest.Lab.Flash;
using DeviceTest.TestAdapter.Execution;
using DeviceTest.Framework.Leasing;
using DeviceTest.TestAdapter.Tests.Fakes;
using TestOutcome = Microsoft.VisualStudio.TestPlatform.ObjectModel.TestOutcome;

namespace DeviceTest.TestAdapter.Tests;

/// <summary>
/// The adapter writes the project's <c>DeviceImage</c> (listed by the build in <c>&lt;TargetName&gt;.devicetest-flash.json</c>)
/// to each device before its first test, as Test Explorer and <c>dotnet test</c> need; a device whose flash fails runs none.
/// </summary>
[TestClass]
[DoNotParallelize]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FlashOnRunTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task The_image_is_on_the_card_before_the_first_test_runs()
    {
        using var project = new SpecProject();
        using var card = LoopMedium.Create(16L << 20);
        var image = FlashImages.MakeSparse(project.Directory, "os.wic", 4L << 20);
        await FlashImages.RunToolAsync("gzip", "-k", image);
        WriteStation(project, card);
        project.AddSpec("after.spec.yml", $"""
            name: after
            sequence:
              - tests:
                  - name: card holds the image
                    command: cmp -n {4L << 20} {image} {card.BackingFile}
            """);
        await WriteListAsync(project, image + ".gz");

        var sink = await RunAsync(project);

        var result = sink.Result("card holds the image");
        Assert.AreEqual(TestOutcome.Passed, result.Outcome, result.ErrorMessage + string.Join("\n", sink.Errors));
        var log = string.Join("\n", sink.Messages.Select(m => m.Message));
        StringAssert.Contains(log, $"DeviceTest: flashing {image}.gz to 'station'");
        StringAssert.Contains(log, "DeviceTest: flashed 'station': 4.0 MiB image");
        CollectionAssert.AreEqual(new[] { "host", "dut" }, card.MuxSwitches.ToArray());
    }

    [TestMethod]
    public async Task A_failed_flash_fails_every_test_with_the_step_and_the_image()
    {
        using var project = new SpecProject();
        using var card = LoopMedium.Create(16L << 20);
        var marker = Path.Combine(project.Directory, "ran");
        WriteStation(project, card);
        project.AddSpec("after.spec.yml", $"""
            name: after
            sequence:
              - tests:
                  - name: would run
                    command: touch {marker}
            """);
        var missing = Path.Combine(project.Directory, "missing.wic.xz");
        await WriteListAsync(project, missing);

        var sink = await RunAsync(project);

        var result = sink.Result("would run");
        Assert.AreEqual(TestOutcome.Failed, result.Outcome);
        StringAssert.Contains(result.ErrorMessage, $"flash of {missing} to device 'station' failed at step 'image': image {missing} does not exist");
        Assert.IsFalse(File.Exists(marker), "no test runs on a device whose flash failed");
    }

    [TestMethod]
    public async Task The_build_lists_the_device_image_unless_flashing_is_off()
    {
        using var project = new SpecProject();
        var targets = Path.Combine(Dotnet.RepositoryRoot, "src", "TestAdapter", "build", "DeviceTest.TestAdapter.targets");
        var projectFile = Path.Combine(project.Directory, "img.proj");
        var body = $"""
            <Project>
              <PropertyGroup>
                <TargetDir>{Path.GetDirectoryName(project.Source)}/</TargetDir>
                <TargetName>My.Tests</TargetName>
                <BaseIntermediateOutputPath>obj/</BaseIntermediateOutputPath>
                <DeviceTestFlashTimeout>45m</DeviceTestFlashTimeout>
              </PropertyGroup>
              <ItemGroup><DeviceImage Include="out/os.wic.xz" /></ItemGroup>
              <Target Name="CopyFilesToOutputDirectory" />
              <Import Project="{targets}" />
            </Project>
            """;
        await File.WriteAllTextAsync(projectFile, body, TestContext.CancellationToken);

        var (code, output) = await Dotnet.RunAsync(["msbuild", projectFile, "-t:CopyFilesToOutputDirectory", "-nologo", "-v:q", "-nodeReuse:false"]);

        Assert.AreEqual(0, code, output);
        var list = FlashList.TryRead(project.Source, out var error);
        Assert.IsNull(error);
        Assert.AreEqual(Path.Combine(project.Directory, "out", "os.wic.xz"), list!.Image);
        Assert.AreEqual("45m", list.Timeout);

        (code, output) = await Dotnet.RunAsync(["msbuild", projectFile, "-t:CopyFilesToOutputDirectory", "-nologo", "-v:q", "-nodeReuse:false", "-p:DeviceTestFlash=false"]);
        Assert.AreEqual(0, code, output);
        Assert.IsFalse(File.Exists(FlashList.PathFor(project.Source)), "-p:DeviceTestFlash=false: the adapter flashes nothing");
    }

    private static void WriteStation(SpecProject project, LoopMedium card) =>
        File.WriteAllText(Path.Combine(project.Directory, "devices.yml"), $$"""
            devices:
              station:
                flash:
                  disk: {{card.CardPath}}
                  mux: { host: '{{card.MuxHost}}', dut: '{{card.MuxDut}}' }
            """);

    private static Task WriteListAsync(SpecProject project, string image) =>
        File.WriteAllTextAsync(FlashList.PathFor(project.Source), $$"""
            { "version": 1, "encoding": "uri", "project": "My.Tests", "image": "{{Uri.EscapeDataString(image)}}", "verify": "true", "timeout": "" }
            """);

    private static async Task<RecordingSink> RunAsync(SpecProject project)
    {
        var sink = new RecordingSink();
        var executor = new DeviceTestExecutor(new AdapterServices { Leases = new LeaseDirectory(Path.Combine(project.Directory, "leases")) });
        var settings = "<RunSettings><DeviceTest><DevicesFile>devices.yml</DevicesFile><Device>station</Device></DeviceTest></RunSettings>";
        await Task.Run(() => executor.RunTests([project.Source], new FakeRunContext(settings, Path.Combine(project.Directory, "TestResults")), sink));
        return sink;
    }
}
