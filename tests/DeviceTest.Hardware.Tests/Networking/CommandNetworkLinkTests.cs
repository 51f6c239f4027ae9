using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Networking;

namespace DeviceTest.Hardware.Tests.Networking;

/// <summary>The command-pair network link with a recording script: cuts are put back after failures and cancels.</summary>
[TestClass]
public sealed class CommandNetworkLinkTests
{
    private string _folder = string.Empty;

    private string Log => Path.Combine(_folder, "link.log");

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("devicetest-link-").FullName;
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private DeviceCapabilities Link(string? up = null) => DeviceCapabilities.Create(
        new DeviceConfig
        {
            Name = "bench",
            Ssh = new SshConfig { Host = "192.0.2.1" },
            Network = new NetworkConfig { Down = $"echo down >> {Log}", Up = up ?? $"echo up >> {Log}", Timeout = TimeSpan.FromSeconds(10) },
        },
        machine: null);

    [TestMethod]
    public async Task A_cut_is_put_back_when_the_code_inside_it_fails()
    {
        await using var capabilities = Link();
        var link = capabilities.Network!;

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(async () =>
        {
            await using (await link.CutAsync(CancellationToken.None))
            {
                Assert.IsFalse(link.IsUp);
                throw new InvalidOperationException("the OTA check failed");
            }
        });

        CollectionAssert.AreEqual(new[] { "down", "up" }, await File.ReadAllLinesAsync(Log));
        Assert.IsTrue(link.IsUp);
    }

    [TestMethod]
    public async Task Offline_for_a_while_comes_back_up_also_when_cancelled()
    {
        await using var capabilities = Link();
        var link = capabilities.Network!;
        using var cancel = new CancellationTokenSource();

        await link.OfflineAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        var offline = link.OfflineAsync(TimeSpan.FromMinutes(5), cancel.Token);
        while (link.IsUp != false)
        {
            await Task.Delay(20); // until the second cut is in place (the down command has returned)
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => offline);

        CollectionAssert.AreEqual(new[] { "down", "up", "down", "up" }, await File.ReadAllLinesAsync(Log));
    }

    [TestMethod]
    public async Task A_failing_up_command_says_which_command_failed()
    {
        await using var capabilities = Link(up: "echo port 7 is locked >&2; exit 1");

        var cut = await capabilities.Network!.CutAsync(CancellationToken.None);
        var error = await Assert.ThrowsExactlyAsync<NetworkLinkException>(async () => await cut.DisposeAsync());

        StringAssert.Contains(error.Message, "device 'bench': the network up command `echo port 7 is locked >&2; exit 1` on this machine failed with exit code 1: port 7 is locked");
        Assert.IsFalse(capabilities.Network!.IsUp);
    }
}
