using System.Globalization;
using System.Text.Json;
using DeviceTest.Agent.Gateway;
using DeviceTest.Lab.Gateway;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Agent.Tests.Gateway;

[TestClass]
public sealed class SpoolUploaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string Id(int n) => "devicetest-run-" + n.ToString("D8", CultureInfo.InvariantCulture);

    private static async Task ReportAsync(GatewayLab lab, UploadSpool reporter, int n, bool withArtifacts = true)
    {
        await reporter.StartTestAsync(Id(n), "suite-" + n, "lmp-" + n, CancellationToken.None);
        var artifacts = withArtifacts
            ? new[] { lab.WriteFile($"console-{n}.log", $"log of {n}\n"), lab.WriteFile($"dump-{n}.bin", $"dump {n}") }
            : [];
        await reporter.CompleteTestAsync(Id(n), new GatewayTestCompletion
        {
            Status = n % 2 == 0 ? "PASSED" : "FAILED",
            Details = "run " + n,
            Results = [new GatewayTestResult { Name = "step", Status = "PASSED", LocalTimestamp = 1700000000 + n }],
            ArtifactPaths = artifacts,
        }, CancellationToken.None);
    }

    /// <summary>The successfully handled requests, as "METHOD path", in order.</summary>
    private static List<string> Accepted(GatewayStandIn gateway) =>
        gateway.Requests.Where(r => r.Status is >= 200 and < 300).Select(r => $"{r.Method} {r.Path}").ToList();

    private static List<string> Expected(params int[] runs)
    {
        var list = new List<string>();
        foreach (var n in runs)
        {
            list.Add("POST /tests");
            list.Add($"PUT /tests/{Id(n)}");
            list.Add($"PUT /tests/{Id(n)}/console-{n}.log");
            list.Add($"PUT /signed/{Id(n)}/dump-{n}.bin");
        }

        return list;
    }

    private static async Task WaitDrainedAsync(GatewayLab lab, UploadSpool spool, int tests)
    {
        await lab.Gateway.WaitForAsync(g => g.Tests.Values.Count(t => t.Status != "RUNNING") >= tests && spool.PendingCount == 0, Patience, $"{tests} completed test(s) and an empty spool");

        // Whatever the uploader sends, it sends before it says the spool is empty: after that, nothing more arrives.
        var deadline = DateTime.UtcNow + Patience;
        while (!lab.LogText.TrimEnd().EndsWith(SpoolUploader.Drained, StringComparison.Ordinal))
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"the uploader never said the spool is empty:\n{lab.LogText}");
            await Task.Delay(20);
        }
    }

    private static void AssertOnceEach(GatewayStandIn gateway, params int[] runs)
    {
        Assert.AreEqual(runs.Length, gateway.Tests.Count);
        AssertOnceEachOf(gateway, runs);
    }

    private static void AssertOnceEachOf(GatewayStandIn gateway, params int[] runs)
    {
        foreach (var n in runs)
        {
            var test = gateway.Tests[Id(n)];
            Assert.AreEqual(1, test.Completions, $"test {n} completed once");
            Assert.AreEqual(n % 2 == 0 ? "PASSED" : "FAILED", test.Status);
            Assert.AreEqual("lmp-" + n, test.TargetHeader);
            Assert.AreEqual($"log of {n}\n", System.Text.Encoding.UTF8.GetString(test.Artifacts[$"console-{n}.log"].Content));
            Assert.IsTrue(test.Artifacts[$"dump-{n}.bin"].ViaSignedUrl);
            Assert.IsTrue(test.Artifacts.Values.All(a => a.Uploads == 1), $"test {n}: each artifact uploaded once");
        }
    }

    [TestMethod]
    public async Task Everything_arrives_in_order_exactly_once()
    {
        await using var lab = await GatewayLab.StartAsync();
        lab.Gateway.UseSignedUrl = name => name.EndsWith(".bin", StringComparison.Ordinal);
        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);
        for (int n = 1; n <= 3; n++)
        {
            await ReportAsync(lab, spool, n);
        }

        Assert.AreEqual(6, spool.PendingCount, "written before any upload");
        using var client = lab.NewClient();
        await using var uploader = new SpoolUploader(spool, client, GatewayLab.FastRetries, lab.Log);
        uploader.Start();
        await WaitDrainedAsync(lab, spool, 3);
        await ReportAsync(lab, spool, 4);
        await WaitDrainedAsync(lab, spool, 4);

        CollectionAssert.AreEqual(Expected(1, 2, 3, 4), Accepted(lab.Gateway), lab.LogText);
        Assert.IsTrue(lab.Gateway.Requests.All(r => r.Status is >= 200 and < 300));
        AssertOnceEach(lab.Gateway, 1, 2, 3, 4);
        Assert.AreEqual(0, Directory.EnumerateFileSystemEntries(spool.SpoolDirectory).Count(p => !p.EndsWith("ids", StringComparison.Ordinal)), "spool emptied");
        Assert.AreEqual(0, Directory.EnumerateFileSystemEntries(spool.FailedDirectory).Count());
    }

    [TestMethod]
    public async Task Gateway_down_for_a_while_then_back()
    {
        await using var lab = await GatewayLab.StartAsync();
        lab.Gateway.UseSignedUrl = name => name.EndsWith(".bin", StringComparison.Ordinal);
        await lab.Gateway.StopAsync();
        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);
        using var client = lab.NewClient();
        await using var uploader = new SpoolUploader(spool, client, GatewayLab.FastRetries, lab.Log);
        uploader.Start();
        for (int n = 1; n <= 3; n++)
        {
            await ReportAsync(lab, spool, n);
        }

        await WaitForLogAsync(lab, "retry 5 ");
        Assert.AreEqual(6, spool.PendingCount, "nothing lost or dropped while the gateway is down");
        await lab.Gateway.RestartAsync();
        await WaitDrainedAsync(lab, spool, 3);

        CollectionAssert.AreEqual(Expected(1, 2, 3), Accepted(lab.Gateway), lab.LogText);
        AssertOnceEach(lab.Gateway, 1, 2, 3);
        StringAssert.Contains(lab.LogText, "accepts entries again");
    }

    [TestMethod]
    public async Task Server_errors_and_hangs_are_retried()
    {
        await using var lab = await GatewayLab.StartAsync();
        lab.Gateway.UseSignedUrl = name => name.EndsWith(".bin", StringComparison.Ordinal);
        lab.Gateway.Behaviour = GatewayBehaviour.Fail;
        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);
        await ReportAsync(lab, spool, 1);
        await ReportAsync(lab, spool, 2);
        using var client = lab.NewClient();
        await using var uploader = new SpoolUploader(spool, client, GatewayLab.FastRetries, lab.Log);
        uploader.Start();

        await lab.Gateway.WaitForAsync(g => g.Requests.Count(r => r.Status == 500) >= 3, Patience, "three 500 answers");
        lab.Gateway.Behaviour = GatewayBehaviour.Hang;
        await lab.Gateway.WaitForAsync(g => g.Requests.Count(r => r.Status == 0) >= 2, Patience, "two hanging requests");
        lab.Gateway.Behaviour = GatewayBehaviour.Normal;
        await WaitDrainedAsync(lab, spool, 2);

        CollectionAssert.AreEqual(Expected(1, 2), Accepted(lab.Gateway), lab.LogText);
        AssertOnceEach(lab.Gateway, 1, 2);
        StringAssert.Contains(lab.LogText, "answered 500");
        StringAssert.Contains(lab.LogText, "no answer within 2 s");
    }

    [TestMethod]
    public async Task Retry_after_a_lost_answer_makes_no_second_record()
    {
        await using var lab = await GatewayLab.StartAsync();
        lab.Gateway.UseSignedUrl = name => name.EndsWith(".bin", StringComparison.Ordinal);
        int posts = 0, puts = 0;
        lab.Gateway.LoseAnswer = (method, path) =>
            (method == "POST" && Interlocked.Increment(ref posts) == 1) || (path == "/tests/" + Id(1) && Interlocked.Increment(ref puts) == 1);
        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);
        await ReportAsync(lab, spool, 1);
        using var client = lab.NewClient();
        await using var uploader = new SpoolUploader(spool, client, GatewayLab.FastRetries, lab.Log);
        uploader.Start();
        await WaitDrainedAsync(lab, spool, 1);

        var test = lab.Gateway.Tests[Id(1)];
        Assert.AreEqual(1, lab.Gateway.Tests.Count, "one record although the POST went twice");
        Assert.AreEqual(2, test.Creations);
        Assert.AreEqual(2, test.Completions, "the PUT whose answer was lost was sent again: same record, same content");
        Assert.AreEqual("FAILED", test.Status);
    }

    [TestMethod]
    public async Task Refused_entries_are_moved_aside_with_the_reason_and_the_drain_goes_on()
    {
        await using var lab = await GatewayLab.StartAsync();
        lab.Gateway.UseSignedUrl = name => name.EndsWith(".bin", StringComparison.Ordinal);
        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);
        await ReportAsync(lab, spool, 1);
        await ReportAsync(lab, spool, 2);
        await ReportAsync(lab, spool, 3, withArtifacts: false);
        await ReportAsync(lab, spool, 5);
        int postCount = 0;
        lab.Gateway.Override = (method, path) =>
            method == "POST" && Interlocked.Increment(ref postCount) == 2 ? 400
            : path == "/tests/" + Id(3) ? 422
            : null;
        using var client = lab.NewClient();
        await using var uploader = new SpoolUploader(spool, client, GatewayLab.FastRetries, lab.Log);
        uploader.Start();
        await lab.Gateway.WaitForAsync(g => g.Tests.TryGetValue(Id(5), out var t) && t.Artifacts.Count == 2 && spool.PendingCount == 0, Patience, "test 5 done");

        CollectionAssert.AreEqual(Expected(1).Concat(["POST /tests"]).Concat(Expected(5)).ToList(), Accepted(lab.Gateway), lab.LogText);
        var failed = Directory.GetFiles(spool.FailedDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(
            new[] { "000000000003.reason", "000000000003.start.json", "000000000004.complete.json", "000000000004.reason", "000000000006.complete.json", "000000000006.reason" },
            failed);
        Assert.IsTrue(Directory.Exists(Path.Combine(spool.FailedDirectory, "000000000004.artifacts")), "artifacts of the refused test are kept");
        StringAssert.Contains(File.ReadAllText(Path.Combine(spool.FailedDirectory, "000000000003.reason")), "answered 400");
        StringAssert.Contains(File.ReadAllText(Path.Combine(spool.FailedDirectory, "000000000004.reason")), "refused to create test " + Id(2));
        StringAssert.Contains(File.ReadAllText(Path.Combine(spool.FailedDirectory, "000000000006.reason")), "answered 422");
        Assert.AreEqual(0, lab.Gateway.Requests.Count(r => r.Path == "/tests/" + Id(2)), "no completion for a record that was never made");
    }

    [TestMethod]
    public async Task Corrupt_entry_is_moved_aside_and_logged()
    {
        await using var lab = await GatewayLab.StartAsync();
        lab.Gateway.UseSignedUrl = name => name.EndsWith(".bin", StringComparison.Ordinal);
        using (var first = new UploadSpool(lab.StateDirectory, lab.Log))
        {
            await ReportAsync(lab, first, 1);
        }

        File.WriteAllText(Path.Combine(lab.StateDirectory, "spool", "000000000003.start.json"), "{\"format\":1,\"kind\":\"start\",\"test-id\":");
        File.WriteAllText(Path.Combine(lab.StateDirectory, "spool", "000000000004.complete.json"), "{\"format\":1,\"kind\":\"complete\",\"test-id\":\"../../etc\"}");
        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);
        await ReportAsync(lab, spool, 2);
        using var client = lab.NewClient();
        await using var uploader = new SpoolUploader(spool, client, GatewayLab.FastRetries, lab.Log);
        uploader.Start();
        await WaitDrainedAsync(lab, spool, 2);

        CollectionAssert.AreEqual(Expected(1, 2), Accepted(lab.Gateway), lab.LogText);
        StringAssert.Contains(File.ReadAllText(Path.Combine(spool.FailedDirectory, "000000000003.reason")), "corrupt entry: not valid JSON");
        StringAssert.Contains(File.ReadAllText(Path.Combine(spool.FailedDirectory, "000000000004.reason")), "test-id '../../etc' is missing or invalid");
        StringAssert.Contains(lab.LogText, "000000000003.start.json cannot be read");
        Assert.IsTrue(File.Exists(Path.Combine(spool.SpoolDirectory, "..", "spool", "..", "spool-failed", "000000000005.start.json")) == false, "new entries numbered after the corrupt ones");
    }

    [TestMethod]
    public async Task A_restarted_uploader_drains_what_was_left_in_order()
    {
        await using var lab = await GatewayLab.StartAsync();
        lab.Gateway.UseSignedUrl = name => name.EndsWith(".bin", StringComparison.Ordinal);
        lab.Gateway.Behaviour = GatewayBehaviour.Fail;
        using (var spool = new UploadSpool(lab.StateDirectory, lab.Log))
        using (var client = lab.NewClient())
        {
            await using var uploader = new SpoolUploader(spool, client, GatewayLab.FastRetries, lab.Log);
            uploader.Start();
            await ReportAsync(lab, spool, 1);
            await ReportAsync(lab, spool, 2);
            await lab.Gateway.WaitForAsync(g => g.Requests.Count >= 2, Patience, "attempts");
            await uploader.StopAsync();
        }

        // Leftovers of a crash in the middle of writing an entry.
        Directory.CreateDirectory(Path.Combine(lab.StateDirectory, "spool", ".000000000005.artifacts.tmp"));
        File.WriteAllText(Path.Combine(lab.StateDirectory, "spool", ".000000000005.complete.json.tmp"), "{");
        File.WriteAllText(Path.Combine(lab.StateDirectory, "spool", ".000000000005.start.json.tmp-4242"), "{");
        Directory.CreateDirectory(Path.Combine(lab.StateDirectory, "spool", "000000000006.artifacts"));

        // The first uploader's last retry may still be in flight at the stand-in when it stops; answered after the
        // switch to Normal it would count as accepted (one POST too many). Cut it while the stand-in still fails.
        await lab.Gateway.StopAsync();
        lab.Gateway.Behaviour = GatewayBehaviour.Normal;
        await lab.Gateway.RestartAsync();

        using var spool2 = new UploadSpool(lab.StateDirectory, lab.Log);
        Assert.AreEqual(4, spool2.PendingCount);
        Assert.AreEqual(0, Directory.GetFileSystemEntries(spool2.SpoolDirectory, "*.tmp*").Length, "half-written leftovers removed");
        Assert.IsFalse(Directory.Exists(Path.Combine(spool2.SpoolDirectory, "000000000006.artifacts")));
        using var client2 = lab.NewClient();
        await using var uploader2 = new SpoolUploader(spool2, client2, GatewayLab.FastRetries, lab.Log);
        uploader2.Start();
        await ReportAsync(lab, spool2, 3);
        await WaitDrainedAsync(lab, spool2, 3);

        CollectionAssert.AreEqual(Expected(1, 2, 3), Accepted(lab.Gateway), lab.LogText);
        AssertOnceEach(lab.Gateway, 1, 2, 3);
    }

    [TestMethod]
    public async Task A_target_name_headers_cannot_carry_is_percent_encoded_in_the_header_and_whole_in_the_body()
    {
        await using var lab = await GatewayLab.StartAsync();
        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);
        await spool.StartTestAsync(Id(1), "suite-1", "lmp-é-42 \"new\"", CancellationToken.None);
        await spool.CompleteTestAsync(Id(1), new GatewayTestCompletion { Status = "PASSED", Results = [] }, CancellationToken.None);
        await ReportAsync(lab, spool, 2, withArtifacts: false);
        using var client = lab.NewClient();
        await using var uploader = new SpoolUploader(spool, client, GatewayLab.FastRetries, lab.Log);
        uploader.Start();

        await lab.Gateway.WaitForAsync(g => g.Tests.Values.Count(t => t.Status != "RUNNING") == 2, TimeSpan.FromSeconds(30), "both tests completed");

        var odd = lab.Gateway.Tests[Id(1)];
        Assert.AreEqual("lmp-%C3%A9-42%20%22new%22", odd.TargetHeader);
        Assert.AreEqual("lmp-é-42 \"new\"", odd.TargetField, "the body keeps the real name");
        Assert.AreEqual("lmp-2", lab.Gateway.Tests[Id(2)].TargetHeader, "plain names travel as they are");
        StringAssert.Contains(lab.LogText, "cannot travel in an HTTP header as it is");
        Assert.IsEmpty(Directory.GetFiles(spool.FailedDirectory));
    }

    [TestMethod]
    public async Task A_request_that_cannot_be_sent_is_moved_aside_at_once_and_later_results_go_out()
    {
        await using var lab = await GatewayLab.StartAsync();
        using (var first = new UploadSpool(lab.StateDirectory, lab.Log))
        {
            // An entry with a header value HTTP cannot carry (as an older agent spooled any Target name).
            File.WriteAllText(Path.Combine(first.SpoolDirectory, "000000000001.start.json"),
                $"{{\"format\":1,\"kind\":\"start\",\"test-id\":\"{Id(1)}\",\"written\":\"2026-01-01T00:00:00Z\",\"target\":\"lmp-é\",\"target-header\":\"lmp-é\",\"post\":{{\"name\":\"x\",\"test-id\":\"{Id(1)}\"}}}}");
        }

        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);
        await ReportAsync(lab, spool, 2, withArtifacts: false);
        using var client = lab.NewClient();
        await using var uploader = new SpoolUploader(spool, client, GatewayLab.FastRetries, lab.Log);
        uploader.Start();

        await lab.Gateway.WaitForAsync(g => g.Tests.TryGetValue(Id(2), out var t) && t.Status != "RUNNING", TimeSpan.FromSeconds(30), "test 2 completed");

        StringAssert.Contains(File.ReadAllText(Path.Combine(spool.FailedDirectory, "000000000001.reason")), "not printable ASCII");
        Assert.DoesNotContain("retry 1 ", lab.LogText, "a request that cannot be sent is not retried");
        Assert.IsFalse(lab.Gateway.Tests.ContainsKey(Id(1)));
    }

    [TestMethod]
    public async Task An_entry_that_keeps_failing_is_set_aside_while_the_gateway_takes_later_results()
    {
        await using var lab = await GatewayLab.StartAsync();
        lab.Gateway.UseSignedUrl = name => name.EndsWith(".bin", StringComparison.Ordinal);
        lab.Gateway.Override = (method, path) => method == "PUT" && path == "/tests/" + Id(1) ? 500 : null;
        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);
        for (int n = 1; n <= 3; n++)
        {
            await ReportAsync(lab, spool, n);
        }

        using var client = lab.NewClient();
        var options = new SpoolUploaderOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromMilliseconds(200), JitterSeed = 42, SetAsideAfterAttempts = 5 };
        await using var uploader = new SpoolUploader(spool, client, options, lab.Log);
        uploader.Start();

        await lab.Gateway.WaitForAsync(g => g.Tests.Values.Count(t => t.Status != "RUNNING") == 2 && spool.PendingCount == 0, Patience, "tests 2 and 3 completed");

        var reason = File.ReadAllText(Path.Combine(spool.FailedDirectory, "000000000002.reason"));
        StringAssert.Contains(reason, "failed 5 times in a row");
        StringAssert.Contains(reason, "answered 500");
        Assert.AreEqual("log of 1\n", File.ReadAllText(Path.Combine(spool.FailedDirectory, "000000000002.artifacts", "console-1.log")), "kept on disk with its artifacts");
        Assert.AreEqual(5, lab.Gateway.Requests.Count(r => r.Method == "PUT" && r.Path == "/tests/" + Id(1)));
        StringAssert.Contains(lab.LogText, "000000000002.complete.json failed 5 times in a row");
        AssertOnceEachOf(lab.Gateway, 2, 3);
    }

    [TestMethod]
    public async Task Spool_entries_are_readable_JSON()
    {
        await using var lab = await GatewayLab.StartAsync();
        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);
        await ReportAsync(lab, spool, 1);

        var start = File.ReadAllText(Path.Combine(spool.SpoolDirectory, "000000000001.start.json"));
        var complete = File.ReadAllText(Path.Combine(spool.SpoolDirectory, "000000000002.complete.json"));
        using var s = JsonDocument.Parse(start);
        using var c = JsonDocument.Parse(complete);

        Assert.AreEqual("start", s.RootElement.GetProperty("kind").GetString());
        Assert.AreEqual(Id(1), s.RootElement.GetProperty("post").GetProperty("test-id").GetString());
        Assert.AreEqual("lmp-1", s.RootElement.GetProperty("target").GetString());
        Assert.AreEqual("FAILED", c.RootElement.GetProperty("put").GetProperty("status").GetString());
        Assert.AreEqual(2, c.RootElement.GetProperty("put").GetProperty("artifacts").GetArrayLength());
        Assert.AreEqual("log of 1\n", File.ReadAllText(Path.Combine(spool.SpoolDirectory, "000000000002.artifacts", "console-1.log")), "artifacts copied into the spool");
    }

    [TestMethod]
    public async Task Invalid_records_are_refused_before_anything_is_written()
    {
        await using var lab = await GatewayLab.StartAsync();
        using var spool = new UploadSpool(lab.StateDirectory, lab.Log);

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => spool.StartTestAsync("short", "x", "t", CancellationToken.None));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => spool.CompleteTestAsync(Id(1), new GatewayTestCompletion { Status = "RUNNING" }, CancellationToken.None));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => spool.CompleteTestAsync(Id(1), new GatewayTestCompletion
        {
            Status = "PASSED",
            Results = [new GatewayTestResult { Name = "a", Status = "PASS", LocalTimestamp = 0 }],
        }, CancellationToken.None));

        Assert.AreEqual(0, spool.PendingCount);
    }

    private static async Task WaitForLogAsync(GatewayLab lab, string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!lab.LogText.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"the log never said '{text}':\n{lab.LogText}");
            }

            await Task.Delay(50);
        }
    }
}
