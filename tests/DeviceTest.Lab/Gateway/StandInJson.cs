using System.Text.Json.Serialization;

namespace DeviceTest.Lab.Gateway;

[JsonSerializable(typeof(string))]
internal sealed partial class StandInJson : JsonSerializerContext;
