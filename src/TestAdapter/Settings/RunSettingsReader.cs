using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using DeviceTest.Hardware.Configuration;
using DeviceTest.Hardware.Yaml;

namespace DeviceTest.TestAdapter.Settings;

/// <summary>
/// Reads <c>&lt;RunSettings&gt;&lt;DeviceTest&gt;</c> from the runsettings XML itself, so it also works where
/// <c>IRunSettings.GetSettings</c> is not implemented (the Microsoft.Testing.Platform bridge). A relative
/// <c>DevicesFile</c> is resolved by <see cref="RunSettingsDevicesFile"/>'s rule (the runsettings file's folder, which
/// VSTest writes into the XML), as the MSBuild tasks do.
/// </summary>
internal static class RunSettingsReader
{
    public const string DeviceKey = "Device";
    public const string TagsKey = "Tags";
    public const string DevicesFileKey = "DevicesFile";
    public const string DefaultTimeoutKey = "DefaultTimeout";
    public const string ParallelKey = "Parallel";
    public const string LeaseTimeoutKey = "LeaseTimeout";
    public const string LeasesKey = "Leases";

    private static readonly string[] KnownKeys = [DeviceKey, TagsKey, DevicesFileKey, DefaultTimeoutKey, ParallelKey, LeaseTimeoutKey, LeasesKey];

    private static readonly char[] TagSeparators = [',', ';', ' ', '\t'];

    public static SettingsReadResult Read(string? settingsXml)
    {
        if (string.IsNullOrWhiteSpace(settingsXml))
        {
            return new SettingsReadResult(DeviceTestSettings.Default, []);
        }

        XElement? section;
        string? directory;
        try
        {
            var document = XDocument.Parse(settingsXml);
            section = document.Root?.Element(AdapterConstants.SettingsSection);
            directory = RunSettingsDevicesFile.Directory(document.Root, runSettingsFile: null);
        }
        catch (XmlException e)
        {
            return new SettingsReadResult(DeviceTestSettings.Default, [$"The runsettings are not valid XML: {e.Message}"]);
        }

        return section is null ? new SettingsReadResult(DeviceTestSettings.Default, []) : ReadSection(section, directory);
    }

    private static SettingsReadResult ReadSection(XElement section, string? runSettingsDirectory)
    {
        var errors = new List<string>();
        string? device = null;
        string? devicesFile = null;
        IReadOnlyList<string> tags = [];
        TimeSpan? defaultTimeout = null;
        TimeSpan? leaseTimeout = null;
        string? leases = null;
        var parallel = 1;

        foreach (var element in section.Elements())
        {
            var key = element.Name.LocalName;
            var value = element.Value.Trim();
            if (element.HasElements)
            {
                errors.Add(Problem(key, value, "takes a plain value, not nested elements"));
                continue;
            }

            switch (key)
            {
                case DeviceKey:
                    device = value.Length == 0 ? null : value;
                    break;
                case TagsKey:
                    tags = value.Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case DevicesFileKey:
                    devicesFile = value.Length == 0 ? null : value;
                    break;
                case DefaultTimeoutKey:
                    defaultTimeout = ReadDuration(key, value, errors);
                    break;
                case LeaseTimeoutKey:
                    leaseTimeout = ReadDuration(key, value, errors);
                    break;
                case LeasesKey:
                    leases = value.Length == 0 ? null : value;
                    break;
                case ParallelKey:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out parallel) || parallel < 1)
                    {
                        errors.Add(Problem(key, value, "must be a whole number of devices, 1 or more (e.g. <Parallel>2</Parallel>)"));
                        parallel = 1;
                    }

                    break;
                default:
                    errors.Add(UnknownKey(key));
                    break;
            }
        }

        var settings = new DeviceTestSettings
        {
            Device = device,
            Tags = tags,
            DevicesFile = RunSettingsDevicesFile.Resolve(devicesFile, runSettingsDirectory),
            DefaultTimeout = defaultTimeout,
            Parallel = parallel,
            LeaseTimeout = leaseTimeout,
            Leases = leases,
        };
        return new SettingsReadResult(settings, errors);
    }

    private static TimeSpan? ReadDuration(string key, string value, List<string> errors)
    {
        if (DurationText.TryParse(value, out var duration) && duration > TimeSpan.Zero)
        {
            return duration;
        }

        errors.Add(Problem(key, value, $"must be a positive duration ({DurationText.Forms})"));
        return null;
    }

    private static string Problem(string key, string value, string what) =>
        $"runsettings <{AdapterConstants.SettingsSection}><{key}>: '{value}' is not valid: {key} {what}.";

    private static string UnknownKey(string key)
    {
        var hint = KeySuggestion.Closest(key, KnownKeys) is { } closest ? $" Did you mean '{closest}'?" : string.Empty;
        return $"runsettings <{AdapterConstants.SettingsSection}>: unknown key '{key}'.{hint} " +
            $"Known keys: {string.Join(", ", KnownKeys)} (e.g. dotnet test -- {AdapterConstants.SettingsSection}.{DeviceKey}=local).";
    }
}
