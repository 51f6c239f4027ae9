using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// The messages of etcd's v3 API as its JSON gateway takes and gives them: etcd's protocol buffer messages in the
/// proto3 JSON mapping, with the field names of its .proto files (bytes are base64, 64-bit integers are strings, enums
/// are names, fields at their default value are left out). Only the messages and fields the lease store uses.
/// </summary>
/// <remarks>
/// Built and read as <see cref="JsonNode"/>s, which devicetest links anyway: classes for the same messages with
/// System.Text.Json's source generator made the native executable 0.25 MB bigger (docs/native.md).
/// </remarks>
internal static class EtcdMessages
{
    /// <summary>A range request on <paramref name="key"/> (up to <paramref name="rangeEnd"/>), oldest first when <paramref name="byCreation"/>.</summary>
    public static JsonObject Range(byte[] key, byte[]? rangeEnd = null, bool keysOnly = false, bool byCreation = false)
    {
        var range = new JsonObject { ["key"] = Base64(key) };
        if (rangeEnd is not null)
        {
            range["range_end"] = Base64(rangeEnd);
        }

        if (keysOnly)
        {
            range["keys_only"] = true;
        }

        if (byCreation)
        {
            range["sort_target"] = "CREATE";
            range["sort_order"] = "ASCEND";
        }

        return range;
    }

    /// <summary>A transaction's operation: a range read.</summary>
    public static JsonObject RangeOp(byte[] key, byte[]? rangeEnd = null, bool keysOnly = false, bool byCreation = false) =>
        new() { ["request_range"] = Range(key, rangeEnd, keysOnly, byCreation) };

    /// <summary>A transaction's operation: put <paramref name="value"/> at <paramref name="key"/>, bound to <paramref name="lease"/>.</summary>
    public static JsonObject PutOp(byte[] key, byte[] value, long lease) =>
        new() { ["request_put"] = new JsonObject { ["key"] = Base64(key), ["value"] = Base64(value), ["lease"] = Text(lease) } };

    /// <summary>A transaction's operation: delete <paramref name="key"/>.</summary>
    public static JsonObject DeleteOp(byte[] key) => new() { ["request_delete_range"] = new JsonObject { ["key"] = Base64(key) } };

    /// <summary>A transaction's condition: <paramref name="key"/> was created at <paramref name="revision"/> (0: it does not exist).</summary>
    public static JsonObject CreatedAt(byte[] key, long revision) => Compare(key, null, "EQUAL", revision);

    /// <summary>A transaction's condition: every key from <paramref name="key"/> to <paramref name="rangeEnd"/> was created after <paramref name="revision"/>.</summary>
    public static JsonObject CreatedAfter(byte[] key, byte[] rangeEnd, long revision) => Compare(key, rangeEnd, "GREATER", revision);

    public static JsonObject Txn(IEnumerable<JsonObject> compare, IEnumerable<JsonObject> success, IEnumerable<JsonObject>? failure = null) => new()
    {
        ["compare"] = new JsonArray([.. compare]),
        ["success"] = new JsonArray([.. success]),
        ["failure"] = new JsonArray([.. failure ?? []]),
    };

    public static JsonObject LeaseGrant(TimeSpan timeToLive) => new() { ["TTL"] = Text((long)timeToLive.TotalSeconds) };

    /// <summary>The request of lease keep-alive and lease revoke: the lease's id.</summary>
    public static JsonObject Lease(long id) => new() { ["ID"] = Text(id) };

    /// <summary>A watch of deletions of <paramref name="key"/> (to <paramref name="rangeEnd"/>) from now on.</summary>
    public static JsonObject WatchDeletions(byte[] key, byte[]? rangeEnd = null)
    {
        var create = new JsonObject { ["key"] = Base64(key), ["filters"] = new JsonArray("NOPUT") };
        if (rangeEnd is not null)
        {
            create["range_end"] = Base64(rangeEnd);
        }

        return new JsonObject { ["create_request"] = create };
    }

    public static JsonObject Authenticate(string user, string password) => new() { ["name"] = user, ["password"] = password };

    /// <summary>The store's revision when an answer was made.</summary>
    public static long Revision(JsonNode answer) => Long(answer["header"]?["revision"]);

    /// <summary>Whether a transaction's conditions held (its success operations ran).</summary>
    public static bool Succeeded(JsonNode txn) => txn["succeeded"]?.GetValueKind() == JsonValueKind.True;

    /// <summary>The keys of a transaction's <paramref name="index"/>-th operation, a range read.</summary>
    public static IReadOnlyList<EtcdKeyValue> RangeAnswer(JsonNode txn, int index) =>
        txn["responses"] is JsonArray responses && index < responses.Count && responses[index]?["response_range"] is { } range
            ? KeyValues(range)
            : throw new LeaseStoreException($"etcd answered a transaction without the read it asked for ({index + 1}): {EtcdCallException.NotJson(txn.ToJsonString()).Message}");

    /// <summary>The keys of a range read's answer.</summary>
    public static IReadOnlyList<EtcdKeyValue> KeyValues(JsonNode range) =>
        range["kvs"] is JsonArray kvs ? [.. kvs.OfType<JsonNode>().Select(EtcdKeyValue.From)] : [];

    /// <summary>A 64-bit integer field (a string in the JSON mapping; a number is taken too), 0 when left out.</summary>
    public static long Long(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => long.Parse(node.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture),
        JsonValueKind.Number => node.GetValue<long>(),
        _ => 0,
    };

    public static byte[]? Bytes(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? Convert.FromBase64String(node.GetValue<string>()) : null;

    private static JsonObject Compare(byte[] key, byte[]? rangeEnd, string result, long revision)
    {
        var compare = new JsonObject { ["key"] = Base64(key), ["target"] = "CREATE", ["result"] = result, ["create_revision"] = Text(revision) };
        if (rangeEnd is not null)
        {
            compare["range_end"] = Base64(rangeEnd);
        }

        return compare;
    }

    private static string Base64(byte[] bytes) => Convert.ToBase64String(bytes);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
