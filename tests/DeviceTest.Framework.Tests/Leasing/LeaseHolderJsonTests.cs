using System.Text;
using System.Text.Json;
using DeviceTest.Framework.Leasing;
using DeviceTest.Framework.Leasing.Etcd;

namespace DeviceTest.Framework.Tests.Leasing;

/// <summary>The value of an etcd holder or waiter key: what System.Text.Json's serializer wrote (kept here as text), read back the same.</summary>
[TestClass]
public sealed class LeaseHolderJsonTests
{
    private const string Value = """
        {"host":"h","pid":12,"user":"u","since":"2026-12-04T22:41:27.12345+00:00","program":"devicetest"}
        """;

    [TestMethod]
    public void A_holder_is_written_as_earlier_versions_wrote_it_and_read_back()
    {
        var holder = new LeaseHolder { Host = "h", ProcessId = 12, User = "u", Since = new DateTimeOffset(2026, 12, 4, 22, 41, 27, 123, TimeSpan.Zero).AddTicks(4500), Program = "devicetest" };

        Assert.AreEqual(Value, Encoding.UTF8.GetString(LeaseHolderJson.Write(holder)));
        Assert.AreEqual(holder, LeaseHolderJson.Read(Encoding.UTF8.GetBytes(Value)));
    }

    [TestMethod]
    public void A_value_without_its_host_is_not_a_holder()
    {
        var e = Assert.ThrowsExactly<JsonException>(() => LeaseHolderJson.Read("{\"pid\":1,\"user\":\"u\",\"since\":\"2026-01-01T00:00:00+00:00\"}"u8.ToArray()));
        StringAssert.Contains(e.Message, "'host' is missing");
    }
}
