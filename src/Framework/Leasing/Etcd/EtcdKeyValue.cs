using System.Text.Json.Nodes;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>A key as etcd gave it: its creation revision, its value (none in a keys-only read) and the lease it is bound to.</summary>
internal sealed record EtcdKeyValue(byte[] Key, long CreateRevision, byte[]? Value, long Lease)
{
    public static EtcdKeyValue From(JsonNode kv) => new(
        EtcdMessages.Bytes(kv["key"]) ?? [],
        EtcdMessages.Long(kv["create_revision"]),
        EtcdMessages.Bytes(kv["value"]),
        EtcdMessages.Long(kv["lease"]));
}
