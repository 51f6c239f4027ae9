using DeviceTest.Hardware;

namespace DeviceTest.Framework.Tests.Suites;

[TestClass]
public sealed class DeviceExtensionsTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Runs_a_shell_string_as_a_shell_command()
    {
        var device = new RecordingDevice();
        device.Answers["uname -a"] = "Linux board\n";

        var result = await device.RunAsync("uname -a", TestContext.CancellationToken);

        Assert.AreEqual("Linux board\n", result.Stdout);
        var request = device.Requests.Single();
        Assert.AreEqual("uname -a", request.Command.ShellText);
        Assert.IsNull(request.Timeout);
    }

    [TestMethod]
    public async Task Passes_a_timeout_on_to_the_command()
    {
        var device = new RecordingDevice();

        await device.RunAsync("sleep 1", TimeSpan.FromSeconds(5), TestContext.CancellationToken);

        Assert.AreEqual(TimeSpan.FromSeconds(5), device.Requests.Single().Timeout);
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => device.RunAsync("true", TimeSpan.Zero, TestContext.CancellationToken));
    }
}
