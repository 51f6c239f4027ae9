using System.Text;
using System.Text.Json;
using DeviceTest.Framework.Json;

namespace DeviceTest.Agent.Gateway;

/// <summary>
/// The JSON of the device gateway's bodies (<c>POST /tests</c>, <c>PUT /tests/&lt;id&gt;</c> and its answer, a map of
/// artifact URLs) and of the spool's entries, which carry them; fields that are null left out.
/// </summary>
internal static class GatewayJson
{
    public static byte[] Write(TestCreateBody body, bool indented = false) => JsonFields.Write(indented, json => Write(json, body));

    public static byte[] Write(TestCompleteBody body, bool indented = false) => JsonFields.Write(indented, json => Write(json, body));

    /// <summary>A spool entry, indented (people read the spool).</summary>
    public static byte[] Write(SpoolEntry entry) => JsonFields.Write(indented: true, json =>
    {
        json.WriteStartObject();
        json.WriteNumber("format", entry.Format);
        json.WriteString("kind", entry.Kind);
        json.WriteString("test-id", entry.TestId);
        json.WriteString("written", entry.Written);
        json.WriteOptional("target", entry.Target);
        json.WriteOptional("target-header", entry.TargetHeader);
        if (entry.Post is { } post)
        {
            json.WritePropertyName("post");
            Write(json, post);
        }

        if (entry.Put is { } put)
        {
            json.WritePropertyName("put");
            Write(json, put);
        }

        json.WriteEndObject();
    });

    /// <summary>The spool entry in <paramref name="utf8"/>; null when it holds JSON <c>null</c>.</summary>
    /// <exception cref="JsonException">Not JSON, or a field of the wrong kind.</exception>
    public static SpoolEntry? ReadSpoolEntry(byte[] utf8) => JsonFields.Parse(utf8, json => new SpoolEntry
    {
        Format = json.Int("format", SpoolEntry.CurrentFormat),
        Kind = json.Text("kind") ?? string.Empty,
        TestId = json.Text("test-id") ?? string.Empty,
        Written = json.Date("written"),
        Target = json.Text("target"),
        TargetHeader = json.Text("target-header"),
        Post = json.Child("post") is { } post ? ReadCreate(post) : null,
        Put = json.Child("put") is { } put ? ReadComplete(put) : null,
    });

    /// <summary>The answer to <c>PUT /tests/&lt;id&gt;</c>: where each artifact goes, by file name.</summary>
    /// <exception cref="JsonException">Not such a map.</exception>
    public static Dictionary<string, GatewayArtifactUrl>? ReadArtifactUrls(string text) =>
        JsonFields.Parse(Encoding.UTF8.GetBytes(text), json => json.EnumerateObject().ToDictionary(p => p.Name, ReadArtifactUrl, StringComparer.Ordinal));

    private static void Write(Utf8JsonWriter json, TestCreateBody body)
    {
        json.WriteStartObject();
        json.WriteString("name", body.Name);
        json.WriteString("test-id", body.TestId);
        json.WriteOptional("target", body.Target);
        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, TestCompleteBody body)
    {
        json.WriteStartObject();
        json.WriteString("status", body.Status);
        json.WriteOptional("details", body.Details);
        json.WriteStartArray("results");
        foreach (var result in body.Results)
        {
            json.WriteStartObject();
            json.WriteString("name", result.Name);
            json.WriteString("status", result.Status);
            json.WriteNumber("local_ts", result.LocalTimestamp);
            json.WriteOptional("details", result.Details);
            if (result.Metrics is { } metrics)
            {
                json.WriteNumbers("metrics", metrics);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (body.Artifacts is { } artifacts)
        {
            json.WriteTexts("artifacts", artifacts);
        }

        json.WriteEndObject();
    }

    private static GatewayArtifactUrl ReadArtifactUrl(JsonProperty artifact)
    {
        var json = JsonFields.Object(artifact.Value, $"'{artifact.Name}'");
        return new GatewayArtifactUrl { Url = json.Text("url") ?? string.Empty, ContentType = json.Text("content-type") };
    }

    private static TestCreateBody ReadCreate(JsonElement json) => new()
    {
        Name = json.Text("name") ?? string.Empty,
        TestId = json.Text("test-id") ?? string.Empty,
        Target = json.Text("target"),
    };

    private static TestCompleteBody ReadComplete(JsonElement json) => new()
    {
        Status = json.Text("status") ?? "PASSED",
        Details = json.Text("details"),
        // "results": null reads as null (SpoolEntry.Problem refuses it); left out, as none.
        Results = json.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Null
            ? null!
            : json.List("results", item => ReadResult(JsonFields.Object(item, "a result"))) ?? [],
        Artifacts = json.Texts("artifacts"),
    };

    private static TestResultBody ReadResult(JsonElement json) => new()
    {
        Name = json.Text("name") ?? string.Empty,
        Status = json.Text("status") ?? string.Empty,
        LocalTimestamp = json.Double("local_ts"),
        Details = json.Text("details"),
        Metrics = json.Numbers("metrics"),
    };
}
