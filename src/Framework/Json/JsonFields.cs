using System.Text.Json;

namespace DeviceTest.Framework.Json;

/// <summary>
/// Reads and writes the JSON of DeviceTest's own files and messages (the agent's run state and spool, the device
/// gateway's bodies, etcd lease values) with System.Text.Json's reader and writer, field by field: a field that is
/// missing or null reads as the default, a field of another kind is a <see cref="JsonException"/> that names it.
/// </summary>
/// <remarks>
/// Used instead of System.Text.Json's serializer (source-generated contexts): its converters and type metadata made the
/// native devicetest 0.47 MB bigger (docs/native.md). What is written is what the serializer wrote for the same
/// objects (tests compare both against the same text), so files written by earlier versions read the same.
/// </remarks>
internal static class JsonFields
{
    /// <summary>Parses <paramref name="utf8"/> and reads its top-level object with <paramref name="read"/>; null for JSON <c>null</c>.</summary>
    /// <exception cref="JsonException">Not JSON, not an object, or a field of the wrong kind.</exception>
    public static T? Parse<T>(ReadOnlyMemory<byte> utf8, Func<JsonElement, T> read)
        where T : class
    {
        using var document = JsonDocument.Parse(utf8);
        return document.RootElement.ValueKind == JsonValueKind.Null ? null : read(Object(document.RootElement, "the document"));
    }

    /// <summary><paramref name="json"/> when it is an object.</summary>
    /// <exception cref="JsonException">It is not.</exception>
    public static JsonElement Object(JsonElement json, string what) =>
        json.ValueKind == JsonValueKind.Object ? json : throw new JsonException($"{what} must be a JSON object, not {Kind(json)}");

    /// <summary><paramref name="json"/>, after checking that it has every field of <paramref name="names"/> (required properties).</summary>
    /// <exception cref="JsonException">One is missing or null.</exception>
    public static JsonElement Requires(this JsonElement json, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (Field(json, name) is null)
            {
                throw new JsonException($"'{name}' is missing");
            }
        }

        return json;
    }

    public static string? Text(this JsonElement json, string name) => Field(json, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { } value => throw Wrong(name, "a string", value),
    };

    public static int Int(this JsonElement json, string name, int fallback = 0) =>
        Number(json, name) is { } value ? value.TryGetInt32(out var number) ? number : throw Wrong(name, "a 32-bit integer", value) : fallback;

    public static long Long(this JsonElement json, string name, long fallback = 0) =>
        Number(json, name) is { } value ? value.TryGetInt64(out var number) ? number : throw Wrong(name, "a 64-bit integer", value) : fallback;

    public static double Double(this JsonElement json, string name, double fallback = 0) =>
        Number(json, name) is { } value ? value.GetDouble() : fallback;

    public static bool Bool(this JsonElement json, string name) => Field(json, name) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } value => throw Wrong(name, "true or false", value),
    };

    public static DateTimeOffset Date(this JsonElement json, string name) => Field(json, name) switch
    {
        null => default,
        { ValueKind: JsonValueKind.String } value when value.TryGetDateTimeOffset(out var date) => date,
        { } value => throw Wrong(name, "a date and time (ISO 8601)", value),
    };

    /// <summary>An object field; null when missing or null.</summary>
    public static JsonElement? Child(this JsonElement json, string name) =>
        Field(json, name) is { } value ? Object(value, $"'{name}'") : null;

    /// <summary>An array field read item by item; null when missing or null.</summary>
    public static List<T>? List<T>(this JsonElement json, string name, Func<JsonElement, T> item)
    {
        if (Field(json, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Wrong(name, "an array", value);
        }

        return [.. value.EnumerateArray().Select(item)];
    }

    /// <summary>An array of strings; null when missing or null.</summary>
    public static List<string>? Texts(this JsonElement json, string name) =>
        List(json, name, e => e.ValueKind is JsonValueKind.String or JsonValueKind.Null ? e.GetString()! : throw Wrong(name, "an array of strings", e));

    /// <summary>An object of numbers (a name to a number each); null when missing or null.</summary>
    public static Dictionary<string, double>? Numbers(this JsonElement json, string name) =>
        Child(json, name) is { } value
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : throw Wrong($"{name}.{p.Name}", "a number", p.Value), StringComparer.Ordinal)
            : null;

    /// <summary>What <paramref name="write"/> writes, as UTF-8 (indented two spaces when <paramref name="indented"/>).</summary>
    public static byte[] Write(bool indented, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes the field unless <paramref name="value"/> is null (as the serializer's WhenWritingNull did).</summary>
    public static void WriteOptional(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteTexts(this Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    public static void WriteNumbers(this Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, double>> values)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            writer.WriteNumber(key, value);
        }

        writer.WriteEndObject();
    }

    private static JsonElement? Field(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static JsonElement? Number(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.Number ? value : throw Wrong(name, "a number", value)
            : null;

    private static JsonException Wrong(string name, string expected, JsonElement value) =>
        new($"'{name}' must be {expected}, not {Kind(value)}");

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{(value.GetString() is { Length: > 40 } s ? s[..40] + "..." : value.GetString())}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };
}
