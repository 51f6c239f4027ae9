using System.Text.Json.Serialization;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>The values of holder and waiter keys: a <see cref="LeaseHolder"/> as JSON (source-generated: trimming and AOT).</summary>
[JsonSerializable(typeof(LeaseHolder))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class EtcdJsonContext : JsonSerializerContext;
