using System.Text;
using System.Text.Json;
using DeviceTest.Agent.Gateway;
using DeviceTest.Agent.Ota;

namespace DeviceTest.Agent.Tests.Ota;

/// <summary>
/// run-state.json and results-file lines, written and read field by field: the same text System.Text.Json's serializer
/// wrote for the same objects (kept here as text), so files of earlier agents read the same and new files look the same.
/// </summary>
[TestClass]
public sealed class AgentJsonTests
{
    private static readonly DateTimeOffset When = new DateTimeOffset(2026, 12, 4, 22, 41, 27, 123, TimeSpan.Zero).AddTicks(4500);

    private static readonly GatewayTestResult[] Results =
    [
        new() { Name = "boot", Status = "PASSED", LocalTimestamp = 1700000000.5, Details = "ok \"q\" <x> é\n", Metrics = new Dictionary<string, double> { ["t"] = 1.25, ["n"] = 3 } },
        new() { Name = "net", Status = "FAILED", LocalTimestamp = 2 },
    ];

    [TestMethod]
    public void A_run_state_with_an_open_reboot_record_and_its_completion_is_written_and_read_back_the_same()
    {
        var state = new RunState
        {
            RunId = "r1",
            TargetName = "t-1",
            SpecPath = "/s.yml",
            SpecSha256 = new string('a', 64),
            StepIndex = 2,
            TestIndex = 3,
            Iteration = 4,
            SavedAt = When,
            Open = new OpenRecord
            {
                Id = "id1",
                Name = "n",
                Kind = "reboot",
                BootId = "b",
                StartedAt = When,
                Started = true,
                Completion = new GatewayTestCompletion { Status = "FAILED", Details = "d", Results = Results, ArtifactPaths = ["/a/b.txt", "/c"] },
            },
        };

        AssertRunState(state, """
        {
          "version": 1,
          "run_id": "r1",
          "target_name": "t-1",
          "spec_path": "/s.yml",
          "spec_sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "step_index": 2,
          "test_index": 3,
          "iteration": 4,
          "open": {
            "id": "id1",
            "name": "n",
            "kind": "reboot",
            "boot_id": "b",
            "started_at": "2026-12-04T22:41:27.12345+00:00",
            "started": true,
            "completion": {
              "status": "FAILED",
              "details": "d",
              "results": [
                {
                  "name": "boot",
                  "status": "PASSED",
                  "local_timestamp": 1700000000.5,
                  "details": "ok \u0022q\u0022 \u003Cx\u003E \u00E9\n",
                  "metrics": {
                    "t": 1.25,
                    "n": 3
                  }
                },
                {
                  "name": "net",
                  "status": "FAILED",
                  "local_timestamp": 2,
                  "metrics": {}
                }
              ],
              "artifact_paths": [
                "/a/b.txt",
                "/c"
              ]
            }
          },
          "saved_at": "2026-12-04T22:41:27.12345+00:00"
        }
        """);
    }

    [TestMethod]
    public void A_run_state_between_tests_leaves_the_open_record_out()
    {
        AssertRunState(new RunState { SavedAt = When }, """
        {
          "version": 1,
          "run_id": "",
          "target_name": "",
          "spec_path": "",
          "spec_sha256": "",
          "step_index": 0,
          "test_index": 0,
          "iteration": 1,
          "saved_at": "2026-12-04T22:41:27.12345+00:00"
        }
        """);
        AssertRunState(
            new RunState { Open = new OpenRecord { Completion = new GatewayTestCompletion { Status = "PASSED" } } },
            """
            {
              "version": 1,
              "run_id": "",
              "target_name": "",
              "spec_path": "",
              "spec_sha256": "",
              "step_index": 0,
              "test_index": 0,
              "iteration": 1,
              "open": {
                "id": "",
                "name": "",
                "kind": "test",
                "started_at": "0001-01-01T00:00:00+00:00",
                "started": false,
                "completion": {
                  "status": "PASSED",
                  "results": [],
                  "artifact_paths": []
                }
              },
              "saved_at": "0001-01-01T00:00:00+00:00"
            }
            """);
    }

    [TestMethod]
    public void A_field_of_the_wrong_kind_or_a_result_without_its_status_is_not_a_run_state()
    {
        var wrongKind = Assert.ThrowsExactly<JsonException>(() => AgentJson.ReadRunState("{\"version\": \"1\"}"u8.ToArray()));
        StringAssert.Contains(wrongKind.Message, "'version' must be a number, not the string \"1\"");
        var noStatus = "{\"open\": {\"completion\": {\"status\": \"PASSED\", \"results\": [{\"name\": \"a\", \"local_timestamp\": 1}]}}}"u8.ToArray();
        StringAssert.Contains(Assert.ThrowsExactly<JsonException>(() => AgentJson.ReadRunState(noStatus)).Message, "'status' is missing");
        Assert.IsNull(AgentJson.ReadRunState("null"u8.ToArray()));
    }

    [TestMethod]
    public void Results_file_lines_are_one_line_each()
    {
        Assert.AreEqual(
            """
            {"event":"start","test_id":"x","name":"n","target":"t","time":"2026-12-04T22:41:27.12345+00:00"}
            """,
            AgentJson.Write(new RecordLine { Event = "start", TestId = "x", Name = "n", Target = "t", Time = When }));
        Assert.AreEqual(
            """
            {"event":"complete","test_id":"x","status":"PASSED","details":"d","results":[{"name":"boot","status":"PASSED","local_timestamp":1700000000.5,"details":"ok \u0022q\u0022 \u003Cx\u003E \u00E9\n","metrics":{"t":1.25,"n":3}},{"name":"net","status":"FAILED","local_timestamp":2,"metrics":{}}],"artifacts":["a.txt"],"time":"2026-12-04T22:41:27.12345+00:00"}
            """,
            AgentJson.Write(new RecordLine { Event = "complete", TestId = "x", Status = "PASSED", Details = "d", Results = Results, Artifacts = ["a.txt"], Time = When }));
    }

    private static void AssertRunState(RunState state, string expected)
    {
        Assert.AreEqual(expected, Encoding.UTF8.GetString(AgentJson.Write(state)));
        var read = AgentJson.ReadRunState(Encoding.UTF8.GetBytes(expected));
        Assert.IsNotNull(read);
        Assert.AreEqual(expected, Encoding.UTF8.GetString(AgentJson.Write(read)), "read back and written again");
    }
}
