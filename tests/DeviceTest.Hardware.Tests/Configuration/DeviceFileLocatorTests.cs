using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Tests.Configuration;

[TestClass]
public sealed class DeviceFileLocatorTests
{
    private string directory = string.Empty;

    [TestInitialize]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), "devicetest-locate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(directory, recursive: true);

    private static Func<string, string?> Env(string? value) =>
        name => name == DeviceFileLocator.EnvironmentVariable ? value : null;

    [TestMethod]
    public void An_explicit_path_wins_over_everything()
    {
        File.WriteAllText(Path.Combine(directory, "devices.yml"), "devices: {}\n");
        var location = DeviceFileLocator.Locate("lab/devices.yml", directory, Env("/etc/other.yml"));
        Assert.AreEqual(new DeviceFileLocation(Path.Combine(directory, "lab/devices.yml"), DeviceFileSource.Explicit), location);
    }

    [TestMethod]
    public void The_environment_variable_comes_next()
    {
        File.WriteAllText(Path.Combine(directory, "devices.yml"), "devices: {}\n");
        var location = DeviceFileLocator.Locate(null, directory, Env("/etc/devicetest/devices.yml"));
        Assert.AreEqual(new DeviceFileLocation("/etc/devicetest/devices.yml", DeviceFileSource.EnvironmentVariable), location);
        Assert.Contains(DeviceFileLocator.EnvironmentVariable, location!.Describe());
    }

    [TestMethod]
    public void Then_devices_yml_in_the_working_directory()
    {
        var path = Path.Combine(directory, "devices.yml");
        File.WriteAllText(path, "devices: {}\n");
        var location = DeviceFileLocator.Locate("  ", directory, Env(string.Empty));
        Assert.AreEqual(new DeviceFileLocation(path, DeviceFileSource.WorkingDirectory), location);
    }

    [TestMethod]
    public void Without_any_there_is_no_file_and_only_local()
    {
        Assert.IsNull(DeviceFileLocator.Locate(null, directory, Env(null)));
        var result = DeviceFileLoader.Load(DeviceFileLocator.Locate(null, directory, Env(null)));
        Assert.AreEqual("local", result.Devices.Single().Name);
    }

    [TestMethod]
    public void A_named_file_that_does_not_exist_is_reported_not_skipped()
    {
        var location = DeviceFileLocator.Locate(null, directory, Env("missing.yml"));
        Assert.IsNotNull(location);
        var result = DeviceFileLoader.Load(location);
        Assert.AreEqual(DeviceFileErrorCodes.FileNotFound, result.Diagnostics.Single().Code);
        Assert.AreEqual(Path.Combine(directory, "missing.yml"), result.Diagnostics.Single().Position.File);
    }

    [TestMethod]
    public async Task A_located_file_loads_with_its_directory_as_base()
    {
        var path = Path.Combine(directory, "devices.yml");
        File.WriteAllText(path, "devices:\n  q:\n    qemu: { kernel: vmlinuz }\n");
        var result = await DeviceFileLoader.LoadAsync(DeviceFileLocator.Locate(null, directory, Env(null))!.Path, CancellationToken.None);
        Assert.IsFalse(result.HasErrors);
        Assert.AreEqual(directory, result.Find("q")!.BaseDirectory);
        Assert.AreEqual(path, result.FilePath);
    }
}
