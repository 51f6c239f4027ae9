using System.Text.Json;
using DeviceTest.Agent.Gateway;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace DeviceTest.Agent.Tests.Gateway;

[TestClass]
public sealed class DryRunReporterTests
{
    [TestMethod]
    public async Task Prints_the_requests_it_would_send()
    {
        using var output = new StringWriter();
        var reporter = new DryRunReporter(output, new Uri("https://gw.example:8443/tests"));
        var artifact = Path.GetTempFileName();
        try
        {
            File.WriteAllText(artifact, "12345");
            await reporter.StartTestAsync("devicetest-dry-0000001", "smoke", "lmp-7", CancellationToken.None);
            await reporter.CompleteTestAsync("devicetest-dry-0000001", new GatewayTestCompletion
            {
                Status = "PASSED",
                Results = [new GatewayTestResult { Name = "boot", Status = "SKIPPED", LocalTimestamp = 1.5, Details = "line1\n\"q\"" }],
                ArtifactPaths = [artifact],
            }, CancellationToken.None);
        }
        finally
        {
            File.Delete(artifact);
        }

        var text = output.ToString();
        StringAssert.Contains(text, "dry-run: would send POST https://gw.example:8443/tests\nx-ats-target: lmp-7\n{");
        StringAssert.Contains(text, "dry-run: would send PUT https://gw.example:8443/tests/devicetest-dry-0000001\n{");
        StringAssert.Contains(text, $"dry-run: would upload artifact {Path.GetFileName(artifact)} ({artifact}, 5 bytes)");

        var post = ExtractJson(text, "POST");
        Assert.AreEqual("smoke", post.GetProperty("name").GetString());
        Assert.AreEqual("devicetest-dry-0000001", post.GetProperty("test-id").GetString());
        Assert.AreEqual("lmp-7", post.GetProperty("target").GetString());
        var put = ExtractJson(text, "PUT");
        Assert.AreEqual("PASSED", put.GetProperty("status").GetString());
        Assert.AreEqual("line1\n\"q\"", put.GetProperty("results")[0].GetProperty("details").GetString());
        Assert.AreEqual(1.5, put.GetProperty("results")[0].GetProperty("local_ts").GetDouble());
        Assert.AreEqual(Path.GetFileName(artifact), put.GetProperty("artifacts")[0].GetString());
    }

    private static JsonElement ExtractJson(string text, string method)
    {
        var start = text.IndexOf('{', text.IndexOf("would send " + method, StringComparison.Ordinal));
        var end = text.IndexOf("\n}\n", start, StringComparison.Ordinal) + 2;
        using var doc = JsonDocument.Parse(text[start..end]);
        return doc.RootElement.Clone();
    }
}
