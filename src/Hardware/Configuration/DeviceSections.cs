using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Configuration;

/// <summary>
/// The sections of one device entry (<c>ssh:</c>, <c>serial:</c>, ...). Each section is read by its own class
/// (<see cref="SshConfig"/>.Read and so on), which owns the section's keys, defaults and checks; this remembers which
/// section keys were read, so that <see cref="CheckKeys"/> knows every section without a second list to keep in step.
/// </summary>
internal sealed class DeviceSections(YamlMappingReader device)
{
    private readonly List<string> keys = [];

    /// <summary>
    /// The section under <paramref name="key"/> read by <paramref name="read"/>; null when the device has no such
    /// section, or when it is not a mapping or has errors (reported to the document).
    /// </summary>
    public T? Read<T>(string key, Func<YamlMappingReader, T?> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        keys.Add(key);
        return device.Mapping(key) is { } section ? read(section) : null;
    }

    /// <summary>Reports keys of the device that are neither <paramref name="otherKeys"/> nor a section read so far.</summary>
    public void CheckKeys(params string[] otherKeys) => device.CheckKeys([.. otherKeys, .. keys]);
}
