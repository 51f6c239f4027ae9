namespace DeviceTest.Tasks.Tests;

/// <summary>
/// <c>dotnet tool install DeviceTest.Agent</c> from the packed feed (into a private tool path, as <c>-g</c> does into
/// ~/.dotnet/tools) gives a <c>devicetest</c> that runs: its version, and a sample spec on the local device.
/// </summary>
[TestClass]
[TestCategory("e2e")]
public sealed class ToolPackageTests
{
    [TestMethod]
    public async Task The_tool_installs_from_the_feed_and_runs_a_sample_spec_on_local()
    {
        var feed = await PackedFeed.GetAsync();
        var work = Directory.CreateTempSubdirectory("dt-tool-").FullName;
        try
        {
            var tools = Path.Combine(work, "tools");
            var environment = new Dictionary<string, string> { ["DOTNET_CLI_HOME"] = Path.Combine(work, "cli-home") };
            var (code, output) = await PackedFeed.DotnetAsync(
                work, TimeSpan.FromMinutes(5), environment,
                "tool", "install", "DeviceTest.Agent", "--version", PackedFeed.Version, "--tool-path", tools, "--add-source", feed);
            Assert.AreEqual(0, code, output);
            var devicetest = Path.Combine(tools, OperatingSystem.IsWindows() ? "devicetest.exe" : "devicetest");
            Assert.IsTrue(File.Exists(devicetest), output);

            (code, output) = await PackedFeed.RunAsync(devicetest, work, TimeSpan.FromMinutes(1), environment, "--version");
            Assert.AreEqual(0, code, output);
            StringAssert.StartsWith(output.Trim(), PackedFeed.Version);

            var spec = Path.Combine(TempProject.RepositoryRoot, "samples", "specs", "smoke.spec.yml");
            (code, output) = await PackedFeed.RunAsync(devicetest, work, TimeSpan.FromMinutes(3), environment, "run", spec, "--junit", "out/junit.xml");
            Assert.AreEqual(0, code, output);
            StringAssert.Contains(output, "4 passed, 0 failed, 0 skipped");
            Assert.IsTrue(File.Exists(Path.Combine(work, "out", "junit.xml")));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
