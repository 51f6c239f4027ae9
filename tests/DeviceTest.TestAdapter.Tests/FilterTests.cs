using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Tests;

[TestClass]
public sealed class FilterTests
{
    [TestMethod]
    public void Filter_names_map_to_properties_vstest_can_validate()
    {
        foreach (var name in new[] { "FullyQualifiedName", "Name", "DisplayName", "Spec", "Suite", "Tag", "tag" })
        {
            Assert.IsNotNull(DeviceTestProperties.ForFilterName(name), name);
        }

        Assert.IsNull(DeviceTestProperties.ForFilterName("Priority"));
    }

    [TestMethod]
    public void Values_come_from_the_names_and_traits()
    {
        var spec = new TestCase("DeviceTest.Specs.smoke.kernel", new Uri("executor://x"), "a.dll") { DisplayName = "kernel" };
        spec.Traits.Add("Spec", "smoke");
        spec.Traits.Add("Tag", "wifi");
        spec.Traits.Add("Tag", "arm64");
        var suite = new TestCase("Lab.Net.NetworkSuite.Has_an_address", new Uri("executor://x"), "a.dll") { DisplayName = "Has_an_address" };
        suite.Traits.Add("Suite", "Lab.Net.NetworkSuite");

        Assert.AreEqual("DeviceTest.Specs.smoke.kernel", DeviceTestProperties.FilterValue(spec, "FullyQualifiedName"));
        Assert.AreEqual("kernel", DeviceTestProperties.FilterValue(spec, "Name"));
        Assert.AreEqual("smoke", DeviceTestProperties.FilterValue(spec, "Spec"));
        CollectionAssert.AreEqual(new[] { "wifi", "arm64" }, (string[])DeviceTestProperties.FilterValue(spec, "Tag")!);
        Assert.IsNull(DeviceTestProperties.FilterValue(spec, "Suite"));
        CollectionAssert.AreEqual(new[] { "Lab.Net.NetworkSuite", "NetworkSuite" }, (string[])DeviceTestProperties.FilterValue(suite, "Suite")!);
        Assert.IsNull(DeviceTestProperties.FilterValue(suite, "Tag"));
    }
}
