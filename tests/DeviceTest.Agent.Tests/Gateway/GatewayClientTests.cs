using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DeviceTest.Agent.Gateway;
using DeviceTest.Lab.Gateway;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Agent.Tests.Gateway;

[TestClass]
public sealed class GatewayClientTests
{
    private const string TestId = "devicetest-0001-abcdefgh";

    [TestMethod]
    public async Task Create_complete_and_upload_over_mutual_TLS()
    {
        await using var lab = await GatewayLab.StartAsync();
        lab.Gateway.UseSignedUrl = name => name.EndsWith(".bin", StringComparison.Ordinal);
        using var client = lab.NewClient();
        var log = lab.WriteFile("console.log", "hello\n");
        var blob = lab.WriteFile("dump.bin", "\u0001\u0002");

        var id = await client.CreateTestAsync(TestId, "smoke", "lmp-qemu-42", CancellationToken.None);
        var urls = await client.CompleteTestAsync(id, new GatewayTestCompletion
        {
            Status = "FAILED",
            Details = "1 of 2 failed",
            Results =
            [
                new GatewayTestResult { Name = "boot", Status = "PASSED", LocalTimestamp = 1700000000.5, Metrics = new Dictionary<string, double> { ["seconds"] = 3.25 } },
                new GatewayTestResult { Name = "net", Status = "FAILED", LocalTimestamp = 1700000001, Details = "no route" },
            ],
            ArtifactPaths = [log, blob],
        }, CancellationToken.None);
        foreach (var path in new[] { log, blob })
        {
            await client.UploadArtifactAsync(urls[Path.GetFileName(path)], path, CancellationToken.None);
        }

        Assert.AreEqual(TestId, id);
        var test = lab.Gateway.Tests[TestId];
        Assert.AreEqual("smoke", test.Name);
        Assert.AreEqual("lmp-qemu-42", test.TargetHeader, "x-ats-target header, as fiotest sends and dg-satellite reads");
        Assert.AreEqual("lmp-qemu-42", test.TargetField, "\"target\" body field, as the docs and newer fioconfig send");
        Assert.AreEqual("FAILED", test.Status);
        Assert.AreEqual("1 of 2 failed", test.Details);
        var results = test.Results!.Value;
        Assert.AreEqual(2, results.GetArrayLength());
        Assert.AreEqual("boot", results[0].GetProperty("name").GetString());
        Assert.AreEqual(1700000000.5, results[0].GetProperty("local_ts").GetDouble());
        Assert.AreEqual(3.25, results[0].GetProperty("metrics").GetProperty("seconds").GetDouble());
        Assert.AreEqual("no route", results[1].GetProperty("details").GetString());
        Assert.IsFalse(test.Artifacts["console.log"].ViaSignedUrl);
        Assert.AreEqual("text/plain", test.Artifacts["console.log"].ContentType);
        Assert.AreEqual("hello\n", System.Text.Encoding.UTF8.GetString(test.Artifacts["console.log"].Content));
        Assert.IsTrue(test.Artifacts["dump.bin"].ViaSignedUrl);
        Assert.AreEqual("application/octet-stream", test.Artifacts["dump.bin"].ContentType);

        var requests = lab.Gateway.Requests;
        Assert.AreEqual(4, requests.Count);
        Assert.AreEqual("POST /tests", $"{requests[0].Method} {requests[0].Path}");
        Assert.AreEqual("application/json", requests[0].Headers["content-type"].Split(';')[0]);
        using (var post = JsonDocument.Parse(requests[0].Body))
        {
            Assert.AreEqual(TestId, post.RootElement.GetProperty("test-id").GetString());
        }

        Assert.AreEqual($"PUT /tests/{TestId}", $"{requests[1].Method} {requests[1].Path}");
        Assert.IsTrue(requests[0].HadClientCertificate && requests[1].HadClientCertificate && requests[2].HadClientCertificate);
        Assert.AreEqual($"PUT /tests/{TestId}/console.log", $"{requests[2].Method} {requests[2].Path}");
        Assert.IsTrue(requests[3].SignedEndpoint, "the signed URL got a plain PUT");
    }

    [TestMethod]
    public async Task Target_name_can_go_in_the_header_only()
    {
        await using var lab = await GatewayLab.StartAsync();
        using var client = new GatewayClient(SotaConfig.Load(lab.SotaDirectory), new GatewayClientOptions { TargetName = TargetNameSending.Header });

        await client.CreateTestAsync(TestId, "smoke", "t-1", CancellationToken.None);

        Assert.AreEqual("t-1", lab.Gateway.Tests[TestId].TargetHeader);
        Assert.IsNull(lab.Gateway.Tests[TestId].TargetField);
    }

    [TestMethod]
    public async Task Client_without_certificate_is_rejected_by_the_gateway()
    {
        await using var lab = await GatewayLab.StartAsync();
        using var ca = X509CertificateLoader.LoadCertificate(lab.Pki.Ca.Export(X509ContentType.Cert));
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust };
        policy.CustomTrustStore.Add(ca);
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } });

        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => http.PostAsync(lab.Gateway.TestsUrl, new StringContent("{}")));

        Assert.AreEqual(0, lab.Gateway.Requests.Count);
    }

    [TestMethod]
    public async Task Client_certificate_from_another_CA_is_rejected_by_the_gateway()
    {
        await using var lab = await GatewayLab.StartAsync();
        using var stranger = GatewayPki.Create("Someone else's CA");
        GatewayPki.WriteClient(lab.SotaDirectory, stranger.ClientCertificate);
        using var client = lab.NewClient();

        var e = await Assert.ThrowsExactlyAsync<GatewayException>(() => client.CreateTestAsync(TestId, "smoke", "t", CancellationToken.None));

        Assert.IsTrue(e.IsTransient, "kept in the spool: a refused handshake is not an answer about the record");
        Assert.AreEqual(0, lab.Gateway.Requests.Count);
    }

    [TestMethod]
    public async Task Server_certificate_from_another_CA_is_rejected_by_the_client()
    {
        await using var lab = await GatewayLab.StartAsync();
        using var stranger = GatewayPki.Create("Someone else's CA");
        File.WriteAllText(Path.Combine(lab.SotaDirectory, "root.crt"), stranger.Ca.ExportCertificatePem());
        using var client = lab.NewClient();

        var e = await Assert.ThrowsExactlyAsync<GatewayException>(() => client.CreateTestAsync(TestId, "smoke", "t", CancellationToken.None));

        Assert.AreEqual(GatewayFailureKind.Tls, e.Kind, e.Message);
        StringAssert.Contains(e.Message, "root.crt");
        Assert.AreEqual(0, lab.Gateway.Requests.Count);
    }

    [TestMethod]
    public async Task Server_certificate_for_another_host_is_rejected_by_the_client()
    {
        using var pki = GatewayPki.Create("DeviceTest gateway test CA", "gateway.example");
        await using var gateway = await GatewayStandIn.StartAsync(pki);
        var dir = Directory.CreateTempSubdirectory("devicetest-sota-").FullName;
        try
        {
            pki.WriteSotaDirectory(dir, gateway.Server);
            using var client = new GatewayClient(SotaConfig.Load(dir), GatewayLab.ShortTimeouts);

            var e = await Assert.ThrowsExactlyAsync<GatewayException>(() => client.CreateTestAsync(TestId, "smoke", "t", CancellationToken.None));

            Assert.AreEqual(GatewayFailureKind.Tls, e.Kind, e.Message);
            Assert.AreEqual(0, gateway.Requests.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task Statuses_are_classified()
    {
        await using var lab = await GatewayLab.StartAsync();
        using var client = lab.NewClient();

        lab.Gateway.Behaviour = GatewayBehaviour.Fail;
        var e500 = await Assert.ThrowsExactlyAsync<GatewayException>(() => client.CreateTestAsync(TestId, "smoke", "t", CancellationToken.None));
        lab.Gateway.Behaviour = GatewayBehaviour.Refuse;
        lab.Gateway.RefuseStatus = 409;
        var e409 = await Assert.ThrowsExactlyAsync<GatewayException>(() => client.CreateTestAsync(TestId, "smoke", "t", CancellationToken.None));
        lab.Gateway.RefuseStatus = 403;
        var e403 = await Assert.ThrowsExactlyAsync<GatewayException>(() => client.CreateTestAsync(TestId, "smoke", "t", CancellationToken.None));
        lab.Gateway.Behaviour = GatewayBehaviour.Hang;
        var hang = await Assert.ThrowsExactlyAsync<GatewayException>(() => client.CreateTestAsync(TestId, "smoke", "t", CancellationToken.None));
        await lab.Gateway.StopAsync();
        var down = await Assert.ThrowsExactlyAsync<GatewayException>(() => client.CreateTestAsync(TestId, "smoke", "t", CancellationToken.None));

        Assert.AreEqual(GatewayFailureKind.ServerError, e500.Kind);
        Assert.IsTrue(e500.IsTransient);
        StringAssert.Contains(e500.Message, "answered 500");
        Assert.AreEqual(GatewayFailureKind.Conflict, e409.Kind);
        Assert.AreEqual(GatewayFailureKind.Refused, e403.Kind);
        Assert.IsFalse(e403.IsTransient);
        Assert.AreEqual(GatewayFailureKind.Timeout, hang.Kind);
        StringAssert.Contains(hang.Message, "no answer within 2 s");
        Assert.AreEqual(GatewayFailureKind.Unreachable, down.Kind, down.Message);
    }
}
