using System.Text.Json;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>
/// The string fields of a build-written JSON file. With <c>"encoding": "uri"</c> at the top every string is
/// percent-encoded (<c>System.Uri.EscapeDataString</c> in the MSBuild target: MSBuild has no JSON escaping, and on Unix
/// it turns backslashes into slashes, so quotes and backslashes in paths cannot be escaped by hand); without it they
/// are plain.
/// </summary>
internal sealed class BuildJsonFields(JsonElement root)
{
    private readonly bool _percentEncoded = Read(root, "encoding") == "uri";

    public JsonElement Root => root;

    /// <summary>The string <paramref name="name"/> of <paramref name="element"/>, decoded; null when absent or not a string.</summary>
    public string? Text(JsonElement element, string name) => Decode(Read(element, name));

    /// <summary><paramref name="element"/> itself when it is a string, decoded; else null.</summary>
    public string? Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? Decode(element.GetString()) : null;

    /// <summary>The array <paramref name="name"/> at the top; empty when absent.</summary>
    public IEnumerable<JsonElement> Array(string name) =>
        root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    private string? Decode(string? text) => _percentEncoded && text is not null ? Uri.UnescapeDataString(text) : text;

    private static string? Read(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
