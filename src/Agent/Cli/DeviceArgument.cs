using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Agent.Cli;

/// <summary>Finds and loads the devices file and picks the device a command names.</summary>
internal static class DeviceArgument
{
    /// <summary>Loads the devices file (found in the order docs/devices.md gives); prints every problem. Null when it has errors.</summary>
    public static async Task<DeviceFileLoadResult?> LoadAsync(string? devicesFile, TextWriter error)
    {
        if (devicesFile is not null && !File.Exists(devicesFile))
        {
            await error.WriteLineAsync($"devicetest: devices file '{devicesFile}' does not exist (given with --devices)");
            return null;
        }

        var location = DeviceFileLocator.Locate(devicesFile);
        var loaded = DeviceFileLoader.Load(location);
        foreach (var diagnostic in loaded.Diagnostics)
        {
            await error.WriteLineAsync(diagnostic.ToString());
        }

        return loaded.HasErrors ? null : loaded;
    }

    /// <summary>The device called <paramref name="deviceName"/> (default <c>local</c>), or null after printing why.</summary>
    public static async Task<DeviceConfig?> ResolveAsync(string? devicesFile, string? deviceName, TextWriter error)
    {
        var loaded = await LoadAsync(devicesFile, error);
        if (loaded is null)
        {
            return null;
        }

        var name = string.IsNullOrWhiteSpace(deviceName) ? DeviceFileLoader.LocalDeviceName : deviceName;
        if (loaded.Find(name) is { } device)
        {
            return device;
        }

        var known = string.Join(", ", loaded.Devices.Select(d => d.Name));
        var where = loaded.FilePath is null ? "no devices file was found (--devices, $DEVICETEST_DEVICES, ./devices.yml)" : $"devices in {loaded.FilePath}";
        await error.WriteLineAsync($"devicetest: unknown device '{name}'; {where}: {known}");
        return null;
    }
}
