using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeviceTest.Agent.Ota;

/// <summary>Source-generated JSON (trimming and Native AOT safe) for the agent's files.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunState))]
[JsonSerializable(typeof(RecordLine))]
internal sealed partial class AgentJsonContext : JsonSerializerContext
{
    /// <summary>The same, on one line (JSON-lines files, log lines).</summary>
    public static AgentJsonContext Compact { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
