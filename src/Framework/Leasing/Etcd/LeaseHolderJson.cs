using System.Text.Json;
using DeviceTest.Framework.Json;

namespace DeviceTest.Framework.Leasing.Etcd;

/// <summary>
/// The values of holder and waiter keys: a <see cref="LeaseHolder"/> as JSON,
/// <c>{"host":"lab-2","pid":1234,"user":"alice","since":"2026-...","program":"devicetest"}</c>.
/// </summary>
internal static class LeaseHolderJson
{
    public static byte[] Write(LeaseHolder holder) => JsonFields.Write(indented: false, json =>
    {
        json.WriteStartObject();
        json.WriteString("host", holder.Host);
        json.WriteNumber("pid", holder.ProcessId);
        json.WriteString("user", holder.User);
        json.WriteString("since", holder.Since);
        json.WriteOptional("program", holder.Program);
        json.WriteEndObject();
    });

    /// <exception cref="JsonException">Not a holder's JSON.</exception>
    public static LeaseHolder? Read(byte[] value) => JsonFields.Parse(value, Read);

    private static LeaseHolder Read(JsonElement json)
    {
        json.Requires("host", "pid", "user", "since");
        return new LeaseHolder
        {
            Host = json.Text("host")!,
            ProcessId = json.Int("pid"),
            User = json.Text("user")!,
            Since = json.Date("since"),
            Program = json.Text("program"),
        };
    }
}
