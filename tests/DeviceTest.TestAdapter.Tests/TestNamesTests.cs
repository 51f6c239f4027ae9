using DeviceTest.TestAdapter.Discovery;

namespace DeviceTest.TestAdapter.Tests;

[TestClass]
public sealed class TestNamesTests
{
    [TestMethod]
    [DataRow("kernel", "kernel")]
    [DataRow("kernel version", "kernel_version")]
    [DataRow("kernel (step 2)", "kernel_step_2")]
    [DataRow("net.ping-gateway", "net_ping_gateway")]
    [DataRow("2nd boot", "_2nd_boot")]
    [DataRow("...", "_")]
    [DataRow("Grüße", "Gr_e")]
    public void Segments_hold_only_letters_digits_and_underscores(string name, string expected)
    {
        Assert.AreEqual(expected, TestNames.Segment(name));
    }

    [TestMethod]
    public void A_scope_makes_clashing_names_unique()
    {
        var scope = new NameScope();

        CollectionAssert.AreEqual(
            new[] { "a_b", "a_b_2", "A_B_3", "c" },
            new[] { scope.Take("a b"), scope.Take("a.b"), scope.Take("A-B"), scope.Take("c") });
    }
}
