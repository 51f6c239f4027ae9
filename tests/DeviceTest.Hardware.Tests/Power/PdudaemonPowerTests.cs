using System.Net;
using System.Net.Sockets;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Power;
using DeviceTest.Lab.Power;

namespace DeviceTest.Hardware.Tests.Power;

/// <summary>PdudaemonPower against a real pdudaemon with a local-command PDU.</summary>
[TestClass]
public sealed class PdudaemonPowerTests
{
    private static PdudaemonLab? _lab;

    private static PdudaemonLab Lab => _lab ?? throw new InvalidOperationException("pdudaemon did not start");

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => _lab = await PdudaemonLab.StartAsync(CancellationToken.None);

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task On_off_and_reboot_switch_the_pdu_port()
    {
        var power = new PdudaemonPower(new PdudaemonConfig
        {
            Url = Lab.Url,
            Hostname = PdudaemonLab.PduHostname,
            Port = 3,
            CycleDelay = TimeSpan.Zero,
        });
        var before = Lab.ReadStates().Count;

        await power.OnAsync(CancellationToken.None);
        await power.OffAsync(CancellationToken.None);
        await power.CycleAsync(CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "on 3", "off 3", "off 3", "on 3" }, Lab.ReadStates().Skip(before).ToArray(), Lab.Log);
        StringAssert.Contains(power.Description, "lab-pdu port 3");
    }

    [TestMethod]
    public async Task An_unknown_pdu_hostname_is_a_clear_error()
    {
        var power = new PdudaemonPower(new PdudaemonConfig { Url = Lab.Url, Hostname = "no-such-pdu", Port = 1 });

        var e = await Assert.ThrowsExactlyAsync<PowerException>(() => power.OnAsync(CancellationToken.None));

        StringAssert.Contains(e.Message, "refused 'on' for no-such-pdu port 1");
        StringAssert.Contains(e.Message, "HTTP 500");
        StringAssert.Contains(e.Message, Lab.Url.ToString());
    }

    [TestMethod]
    public async Task A_url_where_nothing_listens_names_the_url_hostname_and_port()
    {
        // Held below the ephemeral range: no other process's port-0 listener can appear there during the test.
        using var closed = DeviceTest.Lab.LoopbackPort.Reserve();
        var port = closed.Number;

        var url = new Uri($"http://127.0.0.1:{port}");
        var power = new PdudaemonPower(new PdudaemonConfig { Url = url, Hostname = "pdu1", Port = 7 });

        var e = await Assert.ThrowsExactlyAsync<PowerException>(() => power.OffAsync(CancellationToken.None));

        StringAssert.Contains(e.Message, $"cannot reach pdudaemon at {url}");
        StringAssert.Contains(e.Message, "pdu1 port 7 off");
    }

    [TestMethod]
    public void Request_urls_follow_pdudaemons_http_api()
    {
        var power = new PdudaemonPower(new PdudaemonConfig
        {
            Url = new Uri("http://lab:16421/pdu/"),
            Hostname = "pdu 1",
            Port = 3,
        });

        Assert.AreEqual("http://lab:16421/pdu/power/control/on?hostname=pdu%201&port=3", power.RequestUri("on", null).AbsoluteUri);
        Assert.AreEqual(
            "http://lab:16421/pdu/power/control/reboot?hostname=pdu%201&port=3&delay=5",
            power.RequestUri("reboot", 5).AbsoluteUri);
    }
}
