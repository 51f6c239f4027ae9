namespace DeviceTest.Tasks.Tests;

/// <summary>
/// Visual Studio's MSBuild (.NET Framework) runs DeviceTest's .NET tasks in the SDK's .NET task host
/// (<c>Runtime="NET"</c>). <c>DeviceTestTaskHost=true</c> takes the same path under <c>dotnet msbuild</c>, so the
/// parameters and item outputs are checked across that process boundary here.
/// </summary>
[TestClass]
public sealed class TaskHostTests
{
    [TestMethod]
    public async Task Deploy_and_device_list_work_from_the_dotnet_task_host()
    {
        using var project = new TempProject();
        project.WriteFile("payload/run.sh", "#!/bin/sh\necho run\n");
        project.AddArtifact("payload/run.sh", $"{project.DeviceRoot}/bin/run.sh", "750");
        project.Extra = """
              <Target Name="ListDevices" DependsOnTargets="ComputeAvailableDevices">
                <Message Importance="high" Text="device: %(Devices.Identity) type=%(Devices.Type) status=%(Devices.Status)" />
              </Target>
            """;

        var deploy = await project.RunAsync("-t:DeployToDevice", "-p:DeviceTestTaskHost=true", "-v:d");
        Expect.Succeeded(deploy);
        StringAssert.Contains(deploy.Output, "in an external task host with a runtime of \"NET\"");
        StringAssert.Contains(deploy.Output, "1 file(s) sent, 0 unchanged file(s) skipped");
        Assert.AreEqual("750", TempProject.Mode(Path.Combine(project.DeviceRoot, "bin", "run.sh")));

        var list = await project.RunAsync("-t:ListDevices", "-p:DeviceTestTaskHost=true");
        Expect.Succeeded(list);
        StringAssert.Contains(list.Output, "device: local type=Device status=Online");
    }

    [TestMethod]
    public async Task An_msbuild_without_the_dotnet_task_host_gets_a_coded_error_that_says_what_to_use()
    {
        using var project = new TempProject();
        project.WriteFile("payload/a.txt", "a");
        project.AddArtifact("payload/a.txt", $"{project.DeviceRoot}/a.txt");

        // Visual Studio 2022 (MSBuild 17 on .NET Framework) sets this; the flag stands in for it here.
        var run = await project.RunAsync("-t:DeployToDevice", "-p:_DeviceTestTaskHostMissing=true");

        Expect.FailedWith(run, "DT2006", "Visual Studio 2026");
        Assert.IsFalse(File.Exists(Path.Combine(project.DeviceRoot, "a.txt")));
    }
}
