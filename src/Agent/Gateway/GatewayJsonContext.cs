using System.Text.Json.Serialization;

namespace DeviceTest.Agent.Gateway;

/// <summary>Source-generated JSON for the gateway wire format and the spool (no reflection; trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SpoolEntry))]
[JsonSerializable(typeof(TestCreateBody))]
[JsonSerializable(typeof(TestCompleteBody))]
[JsonSerializable(typeof(Dictionary<string, GatewayArtifactUrl>))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext
{
    private static GatewayJsonContext? _indented;

    /// <summary>The same types, written indented (for <c>--dry-run</c> and the spool, which people read).</summary>
    public static GatewayJsonContext Indented => _indented ??= new GatewayJsonContext(new System.Text.Json.JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    });
}
