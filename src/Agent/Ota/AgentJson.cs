using System.Text;
using System.Text.Json;
using DeviceTest.Agent.Gateway;
using DeviceTest.Framework.Json;

namespace DeviceTest.Agent.Ota;

/// <summary>
/// The JSON of the agent's files: <c>run-state.json</c> (<see cref="RunState"/>, indented) and the lines of a
/// <c>--results-file</c> (<see cref="RecordLine"/>, one line each); field names in snake case, fields that are null
/// left out.
/// </summary>
internal static class AgentJson
{
    public static byte[] Write(RunState state) => JsonFields.Write(indented: true, json =>
    {
        json.WriteStartObject();
        json.WriteNumber("version", state.Version);
        json.WriteString("run_id", state.RunId);
        json.WriteString("target_name", state.TargetName);
        json.WriteString("spec_path", state.SpecPath);
        json.WriteString("spec_sha256", state.SpecSha256);
        json.WriteNumber("step_index", state.StepIndex);
        json.WriteNumber("test_index", state.TestIndex);
        json.WriteNumber("iteration", state.Iteration);
        if (state.Open is { } open)
        {
            json.WritePropertyName("open");
            Write(json, open);
        }

        json.WriteString("saved_at", state.SavedAt);
        json.WriteEndObject();
    });

    /// <summary>The run state in <paramref name="utf8"/>; null when it holds JSON <c>null</c>.</summary>
    /// <exception cref="JsonException">Not JSON, or a field of the wrong kind.</exception>
    public static RunState? ReadRunState(byte[] utf8) => JsonFields.Parse(utf8, json => new RunState
    {
        Version = json.Int("version", RunState.CurrentVersion),
        RunId = json.Text("run_id") ?? string.Empty,
        TargetName = json.Text("target_name") ?? string.Empty,
        SpecPath = json.Text("spec_path") ?? string.Empty,
        SpecSha256 = json.Text("spec_sha256") ?? string.Empty,
        StepIndex = json.Int("step_index"),
        TestIndex = json.Int("test_index"),
        Iteration = json.Long("iteration", 1),
        Open = json.Child("open") is { } open ? ReadOpenRecord(open) : null,
        SavedAt = json.Date("saved_at"),
    });

    /// <summary>One line of a results file (without its line break).</summary>
    public static string Write(RecordLine record) => Encoding.UTF8.GetString(JsonFields.Write(indented: false, json =>
    {
        json.WriteStartObject();
        json.WriteString("event", record.Event);
        json.WriteString("test_id", record.TestId);
        json.WriteOptional("name", record.Name);
        json.WriteOptional("target", record.Target);
        json.WriteOptional("status", record.Status);
        json.WriteOptional("details", record.Details);
        if (record.Results is { } results)
        {
            WriteResults(json, results);
        }

        if (record.Artifacts is { } artifacts)
        {
            json.WriteTexts("artifacts", artifacts);
        }

        json.WriteString("time", record.Time);
        json.WriteEndObject();
    }));

    private static void Write(Utf8JsonWriter json, OpenRecord open)
    {
        json.WriteStartObject();
        json.WriteString("id", open.Id);
        json.WriteString("name", open.Name);
        json.WriteString("kind", open.Kind);
        json.WriteOptional("boot_id", open.BootId);
        json.WriteString("started_at", open.StartedAt);
        json.WriteBoolean("started", open.Started);
        if (open.Completion is { } completion)
        {
            json.WriteStartObject("completion");
            json.WriteString("status", completion.Status);
            json.WriteOptional("details", completion.Details);
            WriteResults(json, completion.Results);
            json.WriteTexts("artifact_paths", completion.ArtifactPaths);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteResults(Utf8JsonWriter json, IEnumerable<GatewayTestResult> results)
    {
        json.WriteStartArray("results");
        foreach (var result in results)
        {
            json.WriteStartObject();
            json.WriteString("name", result.Name);
            json.WriteString("status", result.Status);
            json.WriteNumber("local_timestamp", result.LocalTimestamp);
            json.WriteOptional("details", result.Details);
            json.WriteNumbers("metrics", result.Metrics);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static OpenRecord ReadOpenRecord(JsonElement json) => new()
    {
        Id = json.Text("id") ?? string.Empty,
        Name = json.Text("name") ?? string.Empty,
        Kind = json.Text("kind") ?? OpenRecord.TestKind,
        BootId = json.Text("boot_id"),
        StartedAt = json.Date("started_at"),
        Started = json.Bool("started"),
        Completion = json.Child("completion") is { } completion ? ReadCompletion(completion.Requires("status")) : null,
    };

    private static GatewayTestCompletion ReadCompletion(JsonElement json) => new()
    {
        Status = json.Text("status")!,
        Details = json.Text("details"),
        Results = json.List("results", ReadResult) ?? [],
        ArtifactPaths = json.Texts("artifact_paths") ?? [],
    };

    private static GatewayTestResult ReadResult(JsonElement item)
    {
        var json = JsonFields.Object(item, "a result").Requires("name", "status", "local_timestamp");
        return new GatewayTestResult
        {
            Name = json.Text("name")!,
            Status = json.Text("status")!,
            LocalTimestamp = json.Double("local_timestamp"),
            Details = json.Text("details"),
            Metrics = json.Numbers("metrics") ?? [],
        };
    }
}
