using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace DeviceTest.Lab.Gateway;

/// <summary>
/// What <see cref="GatewayStandIn"/> answers when it is told to behave: the device gateway's test API
/// (<c>POST /tests</c>, <c>PUT /tests/&lt;id&gt;</c>, <c>PUT /tests/&lt;id&gt;/&lt;artifact&gt;</c>) with the
/// gateway's checks (test id pattern, statuses), the artifact map that points at gateway URLs or at signed URLs on the
/// plain-HTTP endpoint, and the test records it keeps.
/// </summary>
/// <param name="signedPort">The plain-HTTP endpoint's port, for signed URLs.</param>
/// <param name="useSignedUrl">Which artifacts get a signed URL instead of a gateway URL.</param>
internal sealed partial class StandInTestApi(int signedPort, Func<string, bool> useSignedUrl)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StandInTest> _tests = new(StringComparer.Ordinal);

    /// <summary>A copy of the test records so far, by id.</summary>
    public IReadOnlyDictionary<string, StandInTest> Tests
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, StandInTest>(_tests, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>A request to the mTLS endpoint: the gateway's test API.</summary>
    public (int Status, string Answer, string ContentType) HandleGateway(HttpRequest request, string path, byte[] body)
    {
        var parts = path.Trim('/').Split('/');
        if (request.Method == "POST" && path.TrimEnd('/') == "/tests")
        {
            return Create(request, body);
        }

        if (request.Method == "PUT" && parts is ["tests", var id])
        {
            return Complete(request, Uri.UnescapeDataString(id), body);
        }

        if (request.Method == "PUT" && parts is ["tests", var testId, var name])
        {
            return StoreArtifact(Uri.UnescapeDataString(testId), Uri.UnescapeDataString(name), body, request.ContentType, viaSignedUrl: false);
        }

        return (404, "no such endpoint", "text/plain");
    }

    /// <summary>A request to the plain-HTTP endpoint: a storage service's signed URL.</summary>
    public (int Status, string Answer, string ContentType) HandleSigned(HttpRequest request, string path, byte[] body)
    {
        var parts = path.Trim('/').Split('/');
        if (request.Method == "PUT" && parts is ["signed", var testId, var name] && request.Query["sig"] == "stand-in")
        {
            return StoreArtifact(Uri.UnescapeDataString(testId), Uri.UnescapeDataString(name), body, request.ContentType, viaSignedUrl: true);
        }

        return (403, "bad signature or path", "text/plain");
    }

    private (int, string, string) Create(HttpRequest request, byte[] body)
    {
        string name;
        string? testId = null, target = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            name = doc.RootElement.GetProperty("name").GetString() ?? throw new FormatException("name is null");
            if (doc.RootElement.TryGetProperty("test-id", out var id))
            {
                testId = id.GetString();
            }

            if (doc.RootElement.TryGetProperty("target", out var t))
            {
                target = t.GetString();
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (400, "Failed to parse request body: " + e.Message, "text/plain");
        }

        if (!string.IsNullOrEmpty(testId) && !TestIdPattern().IsMatch(testId))
        {
            return (400, $"test-id({testId}) must match pattern: {TestIdPattern()}", "text/plain");
        }

        testId = string.IsNullOrEmpty(testId) ? Guid.NewGuid().ToString() : testId;
        lock (_gate)
        {
            if (!_tests.TryGetValue(testId, out var test))
            {
                test = new StandInTest(testId, name);
                _tests.Add(testId, test);
            }

            test.Name = name;
            test.TargetHeader = request.Headers["x-ats-target"].ToString() is { Length: > 0 } h ? h : null;
            test.TargetField = target;
            test.Creations++;
        }

        return (201, testId, "text/plain");
    }

    private (int, string, string) Complete(HttpRequest request, string id, byte[] body)
    {
        string status;
        string? details = null;
        JsonElement? results = null;
        var artifacts = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            status = root.TryGetProperty("status", out var s) ? s.GetString() ?? "PASSED" : "PASSED";
            if (root.TryGetProperty("details", out var d))
            {
                details = d.GetString();
            }

            if (root.TryGetProperty("results", out var r))
            {
                results = r.Clone();
                foreach (var result in r.EnumerateArray())
                {
                    var rs = result.GetProperty("status").GetString();
                    if (rs is not ("PASSED" or "FAILED" or "SKIPPED"))
                    {
                        return (400, $"invalid test-result status: {rs}", "text/plain");
                    }
                }
            }

            if (root.TryGetProperty("artifacts", out var a))
            {
                artifacts.AddRange(a.EnumerateArray().Select(x => x.GetString() ?? string.Empty));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (400, "Failed to parse request body: " + e.Message, "text/plain");
        }

        if (status is not ("PASSED" or "FAILED"))
        {
            return (400, $"invalid test status: {status}. Must be PASSED or FAILED", "text/plain");
        }

        lock (_gate)
        {
            if (!_tests.TryGetValue(id, out var test))
            {
                return (404, $"no test {id}", "text/plain");
            }

            test.Status = status;
            test.Details = details;
            test.Results = results;
            test.AnnouncedArtifacts = artifacts;
            test.Completions++;
        }

        var map = new StringBuilder("{");
        var host = request.Host.Value;
        for (int i = 0; i < artifacts.Count; i++)
        {
            var name = artifacts[i];
            var url = useSignedUrl(name)
                ? $"http://127.0.0.1:{signedPort.ToString(CultureInfo.InvariantCulture)}/signed/{Uri.EscapeDataString(id)}/{Uri.EscapeDataString(name)}?sig=stand-in"
                : $"https://{host}/tests/{Uri.EscapeDataString(id)}/{Uri.EscapeDataString(name)}";
            map.Append(i == 0 ? string.Empty : ",")
                .Append(JsonSerializer.Serialize(name, StandInJson.Default.String)).Append(":{\"url\":")
                .Append(JsonSerializer.Serialize(url, StandInJson.Default.String)).Append(",\"content-type\":")
                .Append(JsonSerializer.Serialize(GuessContentType(name), StandInJson.Default.String)).Append('}');
        }

        return (200, map.Append('}').ToString(), "application/json");
    }

    private (int, string, string) StoreArtifact(string id, string name, byte[] body, string? contentType, bool viaSignedUrl)
    {
        lock (_gate)
        {
            if (!_tests.TryGetValue(id, out var test))
            {
                return (404, $"no test {id}", "text/plain");
            }

            if (test.Artifacts.TryGetValue(name, out var earlier))
            {
                test.Artifacts[name] = new StandInArtifact(body, contentType, viaSignedUrl) { Uploads = earlier.Uploads + 1 };
            }
            else
            {
                test.Artifacts[name] = new StandInArtifact(body, contentType, viaSignedUrl);
            }
        }

        return (200, "OK", "text/plain");
    }

    private static string GuessContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".log" or ".txt" => "text/plain",
        ".json" => "application/json",
        ".xml" => "application/xml",
        _ => "application/octet-stream",
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{15,48}$")]
    private static partial Regex TestIdPattern();
}
