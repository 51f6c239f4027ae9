using System.Text;
using DeviceTest.Hardware.Configuration;
using DeviceTest.TestAdapter.Settings;

namespace DeviceTest.TestAdapter.Execution;

/// <summary>
/// The devices a run may use: the one named by <c>Device</c>, else every device with all of <c>Tags</c>, else
/// <c>local</c>. The devices file is found as <see cref="DeviceFileLocator"/> finds it (runsettings <c>DevicesFile</c>,
/// <c>DEVICETEST_DEVICES</c>, <c>devices.yml</c>), relative paths resolved against the project.
/// </summary>
internal sealed class DevicePool
{
    private DevicePool(IReadOnlyList<DeviceConfig> devices, string? error)
    {
        Devices = devices;
        Error = error;
    }

    public IReadOnlyList<DeviceConfig> Devices { get; }

    /// <summary>Why there is no device to run on (a complete message for the user), or null.</summary>
    public string? Error { get; }

    public static DevicePool Resolve(DeviceTestSettings settings, string? projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var workingDirectory = projectDirectory is { Length: > 0 } && Directory.Exists(projectDirectory)
            ? projectDirectory
            : Directory.GetCurrentDirectory();
        var location = DeviceFileLocator.Locate(settings.DevicesFile, workingDirectory)
            ?? (workingDirectory != Directory.GetCurrentDirectory() ? DeviceFileLocator.Locate(null, Directory.GetCurrentDirectory()) : null);
        var loaded = DeviceFileLoader.Load(location);
        var fileName = location?.Describe() ?? "(no devices file: only 'local' exists)";
        if (loaded.HasErrors)
        {
            var text = new StringBuilder($"DeviceTest: the devices file {fileName} has errors; no test ran:");
            foreach (var diagnostic in loaded.Diagnostics)
            {
                text.Append("\n  ").Append(diagnostic);
            }

            return new DevicePool([], text.ToString());
        }

        if (settings.Device is { } name)
        {
            return loaded.Find(name) is { } device
                ? new DevicePool([device], null)
                : new DevicePool([], $"DeviceTest: there is no device '{name}' in {fileName}; no test ran. " +
                    $"Known devices: {Known(loaded)}. Name one with 'dotnet test -- DeviceTest.Device=<name>' or " +
                    "<DeviceTest><Device> in the runsettings, or add it to the devices file.");
        }

        if (settings.Tags.Count > 0)
        {
            var matching = loaded.Devices
                .Where(d => settings.Tags.All(tag => d.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase)))
                .ToList();
            return matching.Count > 0
                ? new DevicePool(matching, null)
                : new DevicePool([], $"DeviceTest: no device in {fileName} has the tags {string.Join(", ", settings.Tags)} " +
                    $"(<DeviceTest><Tags>); no test ran. Known devices: {Known(loaded)}.");
        }

        return new DevicePool([loaded.Find(DeviceFileLoader.LocalDeviceName) ?? DeviceFileLoader.CreateLocal(workingDirectory)], null);
    }

    private static string Known(DeviceFileLoadResult loaded) => string.Join(", ", loaded.Devices.Select(d =>
        d.Tags.Count == 0 ? d.Name : $"{d.Name} [{string.Join(", ", d.Tags)}]"));
}
