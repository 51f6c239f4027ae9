using System.Text.RegularExpressions;
using DeviceTest.Hardware.Yaml;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// Loads <c>devices.yml</c> (format: docs/devices.md) into <see cref="DeviceConfig"/>s with every problem reported as
/// <c>file:line:col: error DT1xxx: message</c> (codes: <see cref="DeviceFileErrorCodes"/>). Never throws for
/// mistakes in the file. Passwords become <see cref="Secret"/>s and never appear in messages.
/// </summary>
public static class DeviceFileLoader
{
    /// <summary>The built-in device: this machine, commands run as local processes.</summary>
    public const string LocalDeviceName = "local";

    /// <summary>A new <see cref="DeviceConfig"/> for the built-in <c>local</c> device.</summary>
    public static DeviceConfig CreateLocal(string? baseDirectory = null) => new()
    {
        Name = LocalDeviceName,
        BaseDirectory = baseDirectory ?? Directory.GetCurrentDirectory(),
    };

    /// <summary>Loads the devices file at <paramref name="path"/>.</summary>
    public static DeviceFileLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var reader = NewReader(path);
        return Build(reader, reader.ReadFile());
    }

    /// <summary>Loads the devices file at <paramref name="path"/>, reading it asynchronously.</summary>
    public static async Task<DeviceFileLoadResult> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var reader = NewReader(path);
        return Build(reader, await reader.ReadFileAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Loads devices from YAML text; <paramref name="filePath"/> names it in diagnostics.</summary>
    public static DeviceFileLoadResult LoadText(string text, string filePath)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(filePath);
        var reader = NewReader(filePath);
        return Build(reader, reader.ReadText(text));
    }

    /// <summary>
    /// Loads the file <see cref="DeviceFileLocator.Locate"/> found; null (no devices file): only <c>local</c>.
    /// </summary>
    public static DeviceFileLoadResult Load(DeviceFileLocation? location) =>
        location is null
            ? new DeviceFileLoadResult { Devices = [CreateLocal()], Diagnostics = [] }
            : Load(location.Path);

    private static YamlDocumentReader NewReader(string path) => new(path, DeviceFileErrorCodes.For);

    private static DeviceFileLoadResult Build(YamlDocumentReader reader, YamlNode? root)
    {
        var baseDirectory = BaseDirectoryOf(reader.FilePath);
        var devices = new List<DeviceConfig> { CreateLocal(baseDirectory) };
        if (root is not null)
        {
            ReadRoot(reader, root, baseDirectory, devices);
        }

        var diagnostics = reader.Diagnostics.OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column).ToList();
        return new DeviceFileLoadResult { FilePath = reader.FilePath, Devices = devices, Diagnostics = diagnostics };
    }

    private static string BaseDirectoryOf(string filePath)
    {
        try
        {
            return Path.GetDirectoryName(Path.GetFullPath(filePath)) ?? Directory.GetCurrentDirectory();
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return Directory.GetCurrentDirectory();
        }
    }

    private static void ReadRoot(YamlDocumentReader reader, YamlNode root, string baseDirectory, List<DeviceConfig> devices)
    {
        if (root is not YamlMappingNode rootMapping)
        {
            reader.Error(root, DeviceFileErrorCodes.NotAMapping,
                $"a devices file must be a mapping with a `devices:` key, not {YamlDocumentReader.Describe(root)}");
            return;
        }

        var top = new YamlMappingReader(reader, rootMapping, "the devices file");
        top.CheckKeys("devices");
        if (!top.Contains("devices"))
        {
            reader.Error(rootMapping, DeviceFileErrorCodes.MissingKey,
                "the devices file has no `devices:` mapping; list devices under `devices:`");
            return;
        }

        var devicesNode = top.Value("devices", allowNull: true);
        if (devicesNode is null)
        {
            return; // `devices:` with nothing under it: no devices besides local.
        }

        var mapping = reader.AsMapping(devicesNode, "`devices`");
        if (mapping is null)
        {
            return;
        }

        foreach (var (keyNode, valueNode) in mapping.Node.Children)
        {
            var name = reader.AsString(keyNode, "a device name");
            if (name is null)
            {
                continue;
            }

            var errorsBefore = reader.Diagnostics.Count(d => d.IsError);
            if (name == LocalDeviceName)
            {
                reader.Error(keyNode, DeviceFileErrorCodes.ReservedName,
                    "`local` is built in (this machine, commands run as local processes); give this device another name");
                continue;
            }

            if (!DeviceNamePattern.IsMatch(name))
            {
                reader.Error(keyNode, DeviceFileErrorCodes.BadDeviceName,
                    $"device name `{name}` may use only letters, digits, '.', '_' and '-'");
            }

            var device = ReadDevice(reader, name, keyNode, valueNode, baseDirectory);
            if (device is not null && reader.Diagnostics.Count(d => d.IsError) == errorsBefore)
            {
                devices.Add(device);
            }
        }
    }

    private static DeviceConfig? ReadDevice(YamlDocumentReader reader, string name, YamlNode keyNode, YamlNode node, string baseDirectory)
    {
        var map = reader.AsMapping(node, $"device `{name}`");
        if (map is null)
        {
            return null;
        }

        var sections = new DeviceSections(map);
        var device = new DeviceConfig
        {
            Name = name,
            Tags = map.StringList("tags") ?? [],
            Position = reader.PositionOf(keyNode),
            BaseDirectory = baseDirectory,

            // The sections, one line each: its key and the class that reads it (docs/devices.md, "Adding a section").
            Ssh = sections.Read("ssh", SshConfig.Read),
            Serial = sections.Read("serial", SerialConfig.Read),
            Shell = sections.Read("shell", ShellConfig.Read),
            Power = sections.Read("power", PowerConfig.Read),
            Qemu = sections.Read("qemu", QemuConfig.Read),
            Flash = sections.Read("flash", FlashConfig.Read),
            Screen = sections.Read("screen", ScreenConfig.Read),
            Keyboard = sections.Read("keyboard", KeyboardConfig.Read),
            Network = sections.Read("network", NetworkConfig.Read),
            Lab = sections.Read("lab", LabConfig.Read),
        };
        sections.CheckKeys("tags");
        CheckCombination(map, name, keyNode);
        return device;
    }

    /// <summary>Rules across sections: a way to reach the device; <c>shell</c> only where there is a console.</summary>
    private static void CheckCombination(YamlMappingReader map, string name, YamlNode keyNode)
    {
        if (map.Contains("flash") && map.Contains("qemu"))
        {
            map.Document.Error(map.KeyNode("flash")!, DeviceFileErrorCodes.FlashCombination,
                $"device `{name}` is a QEMU board: flashing writes its `qemu.disk`; remove `flash`");
        }

        if (!map.Contains("ssh") && !map.Contains("serial") && !map.Contains("qemu") && !map.Contains("flash"))
        {
            map.Document.Error(keyNode, DeviceFileErrorCodes.NoConnection,
                $"device `{name}` has no way to reach it: add an `ssh`, `serial` or `qemu` section (or only `flash`, for a flashing station)");
        }
        else if (map.Contains("shell") && !map.Contains("serial") && !map.Contains("qemu"))
        {
            map.Document.Warning(map.KeyNode("shell")!, DeviceFileErrorCodes.UnusedSection,
                $"device `{name}`: `shell` is used only with a console (`serial` or `qemu`); it has no effect here");
        }

        if (map.Get("keyboard") is YamlMappingNode keyboard && !keyboard.Children.ContainsKey("command") && !map.Contains("qemu"))
        {
            map.Document.Error(map.KeyNode("keyboard")!, DeviceFileErrorCodes.NoKeyboardCommand,
                $"device `{name}`: `keyboard` needs a `command` run once per key, e.g. \"hid-key {{key}}\" (only a QEMU board has a keyboard of its own)");
        }
    }

    private static readonly Regex DeviceNamePattern = new(@"^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant);
}
