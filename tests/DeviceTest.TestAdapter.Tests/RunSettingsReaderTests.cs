using DeviceTest.TestAdapter.Settings;

namespace DeviceTest.TestAdapter.Tests;

[TestClass]
public sealed class RunSettingsReaderTests
{
    [TestMethod]
    public void Reads_every_key_of_the_DeviceTest_section()
    {
        var result = RunSettingsReader.Read("""
            <RunSettings>
              <RunConfiguration><MaxCpuCount>1</MaxCpuCount></RunConfiguration>
              <DeviceTest>
                <Device>qemu-x86</Device>
                <Tags>arm64, wifi</Tags>
                <DevicesFile>lab/devices.yml</DevicesFile>
                <DefaultTimeout>1h30m</DefaultTimeout>
                <Parallel>3</Parallel>
                <LeaseTimeout>90s</LeaseTimeout>
                <Leases>etcd://lab-1:2379,lab-2:2379</Leases>
              </DeviceTest>
            </RunSettings>
            """);

        Assert.IsFalse(result.HasErrors, string.Join("\n", result.Errors));
        var settings = result.Settings;
        Assert.AreEqual("qemu-x86", settings.Device);
        CollectionAssert.AreEqual(new[] { "arm64", "wifi" }, settings.Tags.ToArray());
        Assert.AreEqual("lab/devices.yml", settings.DevicesFile);
        Assert.AreEqual(TimeSpan.FromMinutes(90), settings.DefaultTimeout);
        Assert.AreEqual(3, settings.Parallel);
        Assert.AreEqual(TimeSpan.FromSeconds(90), settings.LeaseTimeout);
        Assert.AreEqual("etcd://lab-1:2379,lab-2:2379", settings.Leases);
    }

    [TestMethod]
    public void A_relative_devices_file_is_under_the_runsettings_files_folder_as_for_the_deploy_tasks()
    {
        // VSTest adds <RunSettingsDirectory> (the .runsettings file's folder) when it reads the file.
        var settingsFolder = Path.Combine(Path.GetTempPath(), "team", "settings");
        var result = RunSettingsReader.Read($"""
            <RunSettings>
              <DeviceTest><DevicesFile>lab/devices.yml</DevicesFile></DeviceTest>
              <RunSettingsDirectory>{settingsFolder}</RunSettingsDirectory>
            </RunSettings>
            """);

        Assert.AreEqual(Path.Combine(settingsFolder, "lab", "devices.yml"), result.Settings.DevicesFile);
        Assert.AreEqual("/etc/devices.yml", RunSettingsReader.Read(
            $"<RunSettings><DeviceTest><DevicesFile>/etc/devices.yml</DevicesFile></DeviceTest><RunSettingsDirectory>{settingsFolder}</RunSettingsDirectory></RunSettings>").Settings.DevicesFile);
    }

    [TestMethod]
    public void No_section_or_no_settings_means_the_defaults()
    {
        foreach (var xml in new[] { null, string.Empty, "<RunSettings><RunConfiguration /></RunSettings>" })
        {
            var result = RunSettingsReader.Read(xml);
            Assert.IsFalse(result.HasErrors);
            Assert.IsNull(result.Settings.Device);
            Assert.AreEqual(1, result.Settings.Parallel);
            Assert.IsEmpty(result.Settings.Tags);
        }
    }

    [TestMethod]
    public void An_unknown_key_is_named_with_a_suggestion()
    {
        var result = RunSettingsReader.Read("<RunSettings><DeviceTest><Devcie>board</Devcie></DeviceTest></RunSettings>");

        var error = result.Errors.Single();
        StringAssert.Contains(error, "unknown key 'Devcie'");
        StringAssert.Contains(error, "Did you mean 'Device'?");
    }

    [TestMethod]
    [DataRow("Parallel", "zero", "whole number")]
    [DataRow("Parallel", "0", "1 or more")]
    [DataRow("DefaultTimeout", "ten minutes", "positive duration")]
    [DataRow("LeaseTimeout", "-5s", "positive duration")]
    public void A_malformed_value_is_named_with_what_is_expected(string key, string value, string expected)
    {
        var result = RunSettingsReader.Read($"<RunSettings><DeviceTest><{key}>{value}</{key}></DeviceTest></RunSettings>");

        var error = result.Errors.Single();
        StringAssert.Contains(error, $"<{key}>");
        StringAssert.Contains(error, $"'{value}'");
        StringAssert.Contains(error, expected);
    }

    [TestMethod]
    public void Broken_xml_is_a_clear_error_not_an_exception()
    {
        var result = RunSettingsReader.Read("<RunSettings><DeviceTest>");

        StringAssert.StartsWith(result.Errors.Single(), "The runsettings are not valid XML");
    }
}
