using System.Text;
using System.Text.Json;
using DeviceTest.Agent.Gateway;

namespace DeviceTest.Agent.Tests.Gateway;

/// <summary>
/// The gateway's bodies and the spool's entries, written and read field by field: the same text System.Text.Json's
/// serializer wrote for the same objects (kept here as text), so spools of earlier agents are sent the same.
/// </summary>
[TestClass]
public sealed class GatewayJsonTests
{
    private static readonly DateTimeOffset When = new DateTimeOffset(2026, 12, 4, 22, 41, 27, 123, TimeSpan.Zero).AddTicks(4500);

    private static TestCompleteBody Complete => new()
    {
        Status = "FAILED",
        Details = "d\u0001",
        Results =
        [
            new TestResultBody { Name = "a", Status = "PASSED", LocalTimestamp = 1.5, Details = "x", Metrics = new() { ["m"] = 0.1 } },
            new TestResultBody { Name = "b", Status = "SKIPPED", LocalTimestamp = 0 },
        ],
        Artifacts = ["a.txt"],
    };

    [TestMethod]
    public void Spool_entries_are_written_indented_and_read_back_the_same()
    {
        AssertSpoolEntry(
            new SpoolEntry { Kind = "start", TestId = "tid", Written = When, Target = "t", TargetHeader = "h", Post = new TestCreateBody { Name = "n", TestId = "tid" } },
            """
            {
              "format": 1,
              "kind": "start",
              "test-id": "tid",
              "written": "2026-12-04T22:41:27.12345+00:00",
              "target": "t",
              "target-header": "h",
              "post": {
                "name": "n",
                "test-id": "tid"
              }
            }
            """);
        AssertSpoolEntry(
            new SpoolEntry { Kind = "complete", TestId = "tid", Written = When, Put = Complete },
            """
            {
              "format": 1,
              "kind": "complete",
              "test-id": "tid",
              "written": "2026-12-04T22:41:27.12345+00:00",
              "put": {
                "status": "FAILED",
                "details": "d\u0001",
                "results": [
                  {
                    "name": "a",
                    "status": "PASSED",
                    "local_ts": 1.5,
                    "details": "x",
                    "metrics": {
                      "m": 0.1
                    }
                  },
                  {
                    "name": "b",
                    "status": "SKIPPED",
                    "local_ts": 0
                  }
                ],
                "artifacts": [
                  "a.txt"
                ]
              }
            }
            """);
    }

    [TestMethod]
    public void Bodies_are_sent_on_one_line_and_printed_indented_for_a_dry_run()
    {
        Assert.AreEqual("""
            {"name":"n","test-id":"tid","target":"t"}
            """, Text(GatewayJson.Write(new TestCreateBody { Name = "n", TestId = "tid", Target = "t" })));
        Assert.AreEqual("""
            {
              "name": "n",
              "test-id": "tid"
            }
            """, Text(GatewayJson.Write(new TestCreateBody { Name = "n", TestId = "tid" }, indented: true)));
        Assert.AreEqual("""
            {"status":"FAILED","details":"d\u0001","results":[{"name":"a","status":"PASSED","local_ts":1.5,"details":"x","metrics":{"m":0.1}},{"name":"b","status":"SKIPPED","local_ts":0}],"artifacts":["a.txt"]}
            """, Text(GatewayJson.Write(Complete)));
        Assert.AreEqual("""
            {
              "status": "PASSED",
              "results": []
            }
            """, Text(GatewayJson.Write(new TestCompleteBody(), indented: true)));
    }

    [TestMethod]
    public void A_complete_entry_whose_results_are_null_is_refused_and_one_without_them_has_none()
    {
        var nullResults = GatewayJson.ReadSpoolEntry("{\"kind\": \"complete\", \"test-id\": \"devicetest-0000001\", \"put\": {\"results\": null}}"u8.ToArray())!;
        StringAssert.Contains(nullResults.Problem("complete"), "needs \"put\" with \"results\"");
        var noResults = GatewayJson.ReadSpoolEntry("{\"kind\": \"complete\", \"test-id\": \"devicetest-0000001\", \"put\": {}}"u8.ToArray())!;
        Assert.IsEmpty(noResults.Put!.Results);
        Assert.Throws<JsonException>(() => GatewayJson.ReadSpoolEntry("{\"format\": 1, \"kind\": \"start\", \"test-id\":"u8.ToArray()));
    }

    [TestMethod]
    public void The_artifact_url_map_is_read_by_file_name()
    {
        var urls = GatewayJson.ReadArtifactUrls("{\"a.txt\": {\"url\": \"https://gw/a\", \"content-type\": \"text/plain\"}, \"b.bin\": {\"url\": \"https://s3/b\"}}")!;

        Assert.AreEqual("https://gw/a", urls["a.txt"].Url);
        Assert.AreEqual("text/plain", urls["a.txt"].ContentType);
        Assert.IsNull(urls["b.bin"].ContentType);
        Assert.ThrowsExactly<JsonException>(() => GatewayJson.ReadArtifactUrls("[\"a.txt\"]"));
    }

    private static void AssertSpoolEntry(SpoolEntry entry, string expected)
    {
        Assert.AreEqual(expected, Text(GatewayJson.Write(entry)));
        var read = GatewayJson.ReadSpoolEntry(Encoding.UTF8.GetBytes(expected));
        Assert.IsNotNull(read);
        Assert.AreEqual(expected, Text(GatewayJson.Write(read)), "read back and written again");
    }

    private static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);
}
