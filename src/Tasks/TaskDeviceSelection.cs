using System.Xml;
using System.Xml.Linq;
using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Tasks;

/// <summary>
/// Which device and devices file a task uses, first hit wins: the MSBuild property (<c>-p:Device</c>,
/// <c>DeviceTestDevice</c>, <c>DeviceTestDevicesFile</c>), runsettings given after <c>--</c>
/// (<c>DeviceTest.Device=NAME</c>), the runsettings file's <c>&lt;DeviceTest&gt;</c> section. So deploying and testing
/// agree on the device whichever way it was named. A relative devices file from runsettings follows
/// <see cref="RunSettingsDevicesFile"/>'s rule (the runsettings file's folder), as the test adapter does; the MSBuild
/// property stays relative to the project.
/// </summary>
internal sealed record TaskDeviceSelection(string? Device, string? DevicesFile)
{
    public static TaskDeviceSelection From(string? device, string? devicesFile, string? runSettingsFile, IEnumerable<string>? runSettingsArguments)
    {
        var fromArguments = FromArguments(runSettingsArguments ?? []);
        var fromFile = FromFile(runSettingsFile);
        var settingsDirectory = string.IsNullOrWhiteSpace(runSettingsFile) || !File.Exists(runSettingsFile)
            ? null
            : RunSettingsDevicesFile.Directory(null, runSettingsFile);
        var fromSettings = RunSettingsDevicesFile.Resolve(First(fromArguments.DevicesFile, fromFile.DevicesFile), settingsDirectory);
        return new TaskDeviceSelection(
            First(device, fromArguments.Device, fromFile.Device),
            First(devicesFile, fromSettings));
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static TaskDeviceSelection FromArguments(IEnumerable<string> arguments)
    {
        string? device = null;
        string? file = null;
        foreach (var argument in arguments.SelectMany(a => a.Split(';', StringSplitOptions.RemoveEmptyEntries)))
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = argument[..equals].Trim();
            var value = argument[(equals + 1)..].Trim();
            if (string.Equals(key, "DeviceTest.Device", StringComparison.OrdinalIgnoreCase))
            {
                device = value;
            }
            else if (string.Equals(key, "DeviceTest.DevicesFile", StringComparison.OrdinalIgnoreCase))
            {
                file = value;
            }
        }

        return new TaskDeviceSelection(device, file);
    }

    private static TaskDeviceSelection FromFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return new TaskDeviceSelection(null, null);
        }

        try
        {
            var section = XDocument.Load(path).Root?.Element("DeviceTest");
            return new TaskDeviceSelection(section?.Element("Device")?.Value, section?.Element("DevicesFile")?.Value);
        }
        catch (XmlException)
        {
            // The test run reports a broken runsettings file itself; deployment just does not use it.
            return new TaskDeviceSelection(null, null);
        }
    }
}
