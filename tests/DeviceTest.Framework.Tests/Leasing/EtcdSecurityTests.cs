using DeviceTest.Framework.Leasing;
using DeviceTest.Framework.Leasing.Etcd;
using DeviceTest.Lab.Etcd;
using DeviceTest.Lab.Gateway;

namespace DeviceTest.Framework.Tests.Leasing;

/// <summary>
/// The etcd store against a real etcd that serves clients over TLS only, asks for client certificates and has its
/// authentication on (users and roles), as a lab would secure it; and what users are told when a setting is wrong.
/// </summary>
[TestClass]
public sealed class EtcdSecurityTests
{
    private static readonly TimeSpan TokenTimeToLive = TimeSpan.FromSeconds(2);
    private static GatewayPki s_pki = null!;
    private static EtcdCluster s_cluster = null!;

    [ClassInitialize]
    public static async Task StartCluster(TestContext context)
    {
        s_pki = GatewayPki.Create("DeviceTest etcd test CA");
        s_cluster = await EtcdCluster.StartSecuredAsync(s_pki, tokenTimeToLive: TokenTimeToLive);
    }

    [ClassCleanup]
    public static async Task StopCluster()
    {
        if (s_cluster is not null)
        {
            await s_cluster.DisposeAsync();
        }

        s_pki?.Dispose();
    }

    [TestMethod]
    public async Task Over_TLS_with_a_client_certificate_and_a_password_runs_hold_and_hand_over_a_device()
    {
        var url = s_cluster.SecuredUrl(EtcdCluster.User, s_cluster.Password);
        await using var first = new EtcdLeaseStore(EtcdLeaseOptions.Parse(url));
        await using var second = new EtcdLeaseStore(EtcdLeaseOptions.Parse(url));
        var device = "board-" + Guid.NewGuid().ToString("N")[..8];

        var held = await first.AcquireAsync([device], _ => { }, null, CancellationToken.None);
        var queued = new TaskCompletionSource();
        var waiting = second.AcquireAsync([device], _ => queued.TrySetResult(), null, CancellationToken.None);
        await queued.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var listed = (await second.ListAsync(CancellationToken.None)).Single(s => s.DeviceName == device);
        Assert.AreEqual(Environment.ProcessId, listed.Holder!.ProcessId);
        Assert.HasCount(1, listed.Waiters);

        await held.DisposeAsync();
        await using var handedOver = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.AreEqual(device, handedOver.DeviceName);
    }

    [TestMethod]
    public async Task A_run_idle_longer_than_its_session_token_lives_signs_in_again_unnoticed()
    {
        await using var store = new EtcdLeaseStore(EtcdLeaseOptions.Parse(s_cluster.SecuredUrl(EtcdCluster.User, s_cluster.Password)));
        await store.ListAsync(CancellationToken.None);

        // etcd forgets an unused token after its time to live (its check runs about once a second).
        await Task.Delay(TokenTimeToLive + TimeSpan.FromSeconds(2));

        await store.ListAsync(CancellationToken.None);
    }

    [TestMethod]
    public async Task A_wrong_password_is_refused_with_what_to_check_and_never_shown()
    {
        await using var store = new EtcdLeaseStore(EtcdLeaseOptions.Parse(s_cluster.SecuredUrl(EtcdCluster.User, "not-the-password")));

        var e = await Assert.ThrowsExactlyAsync<LeaseStoreException>(() => store.ListAsync(CancellationToken.None));

        StringAssert.Contains(e.Message, "authentication failed");
        StringAssert.Contains(e.Message, "Check the user and password");
        Assert.DoesNotContain("not-the-password", e.Message);
    }

    [TestMethod]
    public async Task A_client_certificate_with_a_common_name_is_refused_with_what_to_give_instead()
    {
        var tls = s_cluster.Tls;
        var url = s_cluster.SecuredUrl(EtcdCluster.User, s_cluster.Password, $"cacert={tls.CaFile}&cert={tls.CommonNameCertificateFile}&key={tls.CommonNameKeyFile}");
        await using var store = new EtcdLeaseStore(EtcdLeaseOptions.Parse(url));

        var e = await Assert.ThrowsExactlyAsync<LeaseStoreException>(() => store.ListAsync(CancellationToken.None));

        StringAssert.Contains(e.Message, "no client certificate with a Common Name");
        StringAssert.Contains(e.Message, "whose subject has no CN");
    }

    [TestMethod]
    public async Task Without_a_client_certificate_or_trusting_another_CA_the_TLS_failure_says_what_to_give()
    {
        using var otherPki = GatewayPki.Create("another CA");
        var otherCa = Path.Combine(Path.GetDirectoryName(s_cluster.Tls.CaFile)!, "other-ca.pem");
        File.WriteAllText(otherCa, otherPki.Ca.ExportCertificatePem() + "\n");
        var tls = s_cluster.Tls;

        foreach (var query in new[] { $"cacert={tls.CaFile}&ttl=3s", $"cacert={otherCa}&cert={tls.ClientCertificateFile}&key={tls.ClientKeyFile}&ttl=3s" })
        {
            await using var store = new EtcdLeaseStore(EtcdLeaseOptions.Parse(s_cluster.SecuredUrl(EtcdCluster.User, s_cluster.Password, query)));
            var e = await Assert.ThrowsExactlyAsync<LeaseStoreException>(() => store.ListAsync(CancellationToken.None));
            StringAssert.Contains(e.Message, "no TLS connection for listing the leases", query);
            StringAssert.Contains(e.Message, "?cacert=FILE", query);
        }
    }

    [TestMethod]
    public async Task A_plain_etcd_url_for_members_that_use_TLS_says_to_write_etcds()
    {
        var endpoints = s_cluster.SecuredUrl("u", "p")["etcds://u:p@".Length..].Split('?')[0];
        await using var store = new EtcdLeaseStore(EtcdLeaseOptions.Parse($"etcd://{endpoints}?ttl=3s"));

        var e = await Assert.ThrowsExactlyAsync<LeaseStoreException>(() => store.ListAsync(CancellationToken.None));

        StringAssert.Contains(e.Message, "if they use TLS, write etcds://");
    }
}
