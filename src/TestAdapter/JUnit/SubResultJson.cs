using System.Text;
using System.Text.Json;
using DeviceTest.Framework.Results;

namespace DeviceTest.TestAdapter.JUnit;

/// <summary>Sub-results as JSON, carried from the adapter to the logger on a test result property.</summary>
internal static class SubResultJson
{
    public static string Write(IReadOnlyList<SubResult> subResults)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var sub in subResults)
            {
                writer.WriteStartObject();
                writer.WriteString("name", sub.Name);
                writer.WriteString("outcome", sub.Outcome.ToString());
                writer.WriteNumber("localTimestamp", sub.LocalTimestamp);
                if (sub.Details is not null)
                {
                    writer.WriteString("details", sub.Details);
                }

                writer.WriteStartObject("metrics");
                foreach (var (key, value) in sub.Metrics)
                {
                    writer.WriteNumber(key, value);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The sub-results in <paramref name="json"/>; empty when it is missing or not what <see cref="Write"/> wrote.</summary>
    public static IReadOnlyList<SubResult> Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var list = new List<SubResult>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
                if (item.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
                {
                    foreach (var metric in m.EnumerateObject())
                    {
                        metrics[metric.Name] = metric.Value.GetDouble();
                    }
                }

                list.Add(new SubResult
                {
                    Name = item.GetProperty("name").GetString() ?? string.Empty,
                    Outcome = Enum.TryParse<TestOutcome>(item.GetProperty("outcome").GetString(), out var outcome) ? outcome : TestOutcome.Failed,
                    LocalTimestamp = item.TryGetProperty("localTimestamp", out var ts) ? ts.GetDouble() : 0,
                    Details = item.TryGetProperty("details", out var d) ? d.GetString() : null,
                    Metrics = metrics,
                });
            }

            return list;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return [];
        }
    }
}
