namespace DeviceTest.Agent.Tests.Cli;

/// <summary>Device selection from the command line: <c>devicetest devices</c>, bad devices files, unknown devices.</summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class DevicesCommandTests
{
    private const string BadDevices = "devices:\n  b1:\n    ssh: { host: 192.0.2.10, port: lots }\n    frob: 1\n";

    [TestMethod]
    public async Task Devices_lists_local_as_answering()
    {
        using var work = new WorkFolder();

        var result = (await work.RunAsync("devices")).ExpectExit(0).ExpectNoStackTrace();

        StringAssert.Contains(result.Stdout, "  local\n");
        StringAssert.Matches(result.Stdout, new System.Text.RegularExpressions.Regex(@"status:\s+answers"));
    }

    [TestMethod]
    public async Task Bad_devices_file_is_bad_input_for_run_and_devices()
    {
        using var work = new WorkFolder();
        var devices = work.Write("lab.yml", BadDevices);
        var spec = RepositoryFiles.Path("samples", "specs", "smoke.spec.yml");

        foreach (var args in new[] { new[] { "run", spec, "--devices", "lab.yml" }, ["devices", "--devices", "lab.yml"] })
        {
            var result = (await work.RunAsync(args)).ExpectExit(2).ExpectNoStackTrace();
            StringAssert.Contains(result.Stderr, $"{devices}:3:36: error DT1024: `port` must be a whole number");
            StringAssert.Contains(result.Stderr, $"{devices}:4:5: error DT1020: unknown key `frob`");
        }

        // Found through $DEVICETEST_DEVICES and ./devices.yml too.
        var fromEnvironment = await DeviceTestProcess.RunAsync(work.Path, ["run", spec], new Dictionary<string, string?> { ["DEVICETEST_DEVICES"] = devices });
        fromEnvironment.ExpectExit(2).ExpectNoStackTrace();
        StringAssert.Contains(fromEnvironment.Stderr, "error DT1024");
        work.Write("devices.yml", BadDevices);
        (await work.RunAsync("run", spec)).ExpectExit(2).ExpectNoStackTrace();
    }

    [TestMethod]
    public async Task Unknown_device_or_missing_devices_file_is_bad_input()
    {
        using var work = new WorkFolder();
        var spec = RepositoryFiles.Path("samples", "specs", "smoke.spec.yml");

        var unknown = (await work.RunAsync("run", spec, "--device", "nope", "--junit", "junit.xml")).ExpectExit(2).ExpectNoStackTrace();
        StringAssert.Contains(unknown.Stderr, "unknown device 'nope'");
        StringAssert.Contains(unknown.Stderr, "local");
        Assert.IsFalse(File.Exists(work.File("junit.xml")));

        var missing = (await work.RunAsync("run", spec, "--devices", "absent.yml")).ExpectExit(2).ExpectNoStackTrace();
        StringAssert.Contains(missing.Stderr, "absent.yml");
    }
}
