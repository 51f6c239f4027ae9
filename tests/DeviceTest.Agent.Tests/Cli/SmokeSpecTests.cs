using System.Xml.Linq;

namespace DeviceTest.Agent.Tests.Cli;

/// <summary>The smoke sample (samples/specs/smoke.spec.yml), run by devicetest as users run it, on the local device.</summary>
[TestClass]
[TestCategory(DevicetestBinary.Category)]
public sealed class SmokeSpecTests
{
    [TestMethod]
    public async Task The_smoke_sample_passes_on_the_local_device_with_one_testcase_per_test()
    {
        using var work = new WorkFolder();
        var junit = Path.Combine(work.Path, "out", "junit.xml");

        var result = await work.RunAsync("run", RepositoryFiles.Path("samples", "specs", "smoke.spec.yml"), "--junit", junit, "--results", Path.Combine(work.Path, "out", "results"));

        Assert.AreEqual(0, result.ExitCode, result.Stdout + result.Stderr);
        var cases = XDocument.Load(junit).Descendants("testcase").Select(c => (string?)c.Attribute("name")).ToList();
        CollectionAssert.AreEquivalent(new[] { "kernel", "true-exits-zero", "shell-and-environment", "uptime" }, cases);
        Assert.IsEmpty(XDocument.Load(junit).Descendants("failure").ToList());
    }
}
