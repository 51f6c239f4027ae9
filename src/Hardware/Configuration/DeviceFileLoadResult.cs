using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>The outcome of loading a devices file: the devices and every diagnostic.</summary>
public sealed class DeviceFileLoadResult
{
    /// <summary>The file loaded, as given; null when no devices file was found (only <c>local</c> exists).</summary>
    public string? FilePath { get; init; }

    /// <summary>
    /// The built-in <c>local</c> first, then the file's devices in file order. A device with an error of its own
    /// is left out; check <see cref="HasErrors"/> before using the list.
    /// </summary>
    public required IReadOnlyList<DeviceConfig> Devices { get; init; }

    public required IReadOnlyList<YamlDiagnostic> Diagnostics { get; init; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The device named <paramref name="name"/> (ordinal comparison), or null.</summary>
    public DeviceConfig? Find(string name) => Devices.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));
}
