namespace DeviceTest.Agent.Gateway.Config;

/// <summary>
/// aktualizr-lite's configuration as aktualizr itself merges it (libaktualizr BaseConfig::updateFromDirs, with LmP's
/// default locations <c>/usr/lib/sota/conf.d</c>, <c>/var/sota/sota.toml</c>, <c>/etc/sota/conf.d</c>): every
/// <c>*.toml</c> of each location (a folder, not recursive) or the file itself; a file of a later location replaces one
/// of the same name from an earlier location; the files are then applied in ordinal order of their names, and a key a
/// later file sets overrides the earlier value. So <c>/etc/sota/conf.d/z-50-fioctl.toml</c> overrides <c>sota.toml</c>,
/// which overrides <c>/usr/lib/sota/conf.d/10-defaults.toml</c>; locations that do not exist are skipped. Each file is
/// read as aktualizr reads it (<see cref="AktualizrConfigFile"/>: boost's INI reader, quotes removed from values).
/// </summary>
public sealed class AktualizrConfig
{
    private AktualizrConfig(IReadOnlyList<AktualizrConfigFile> files)
    {
        Files = files;
    }

    /// <summary>The files read, in the order they are applied (later ones win).</summary>
    public IReadOnlyList<AktualizrConfigFile> Files { get; }

    /// <exception cref="AktualizrConfigException">aktualizr would refuse a file; the message says where.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static AktualizrConfig Load(IEnumerable<string> locations)
    {
        ArgumentNullException.ThrowIfNull(locations);
        var byName = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var location in locations)
        {
            if (Directory.Exists(location))
            {
                foreach (var file in Directory.EnumerateFiles(location).Where(f => Path.GetExtension(f) == ".toml"))
                {
                    byName[Path.GetFileName(file)] = file;
                }
            }
            else if (File.Exists(location))
            {
                byName[Path.GetFileName(location)] = location;
            }
        }

        return new AktualizrConfig([.. byName.Values.Select(AktualizrConfigFile.Load)]);
    }

    /// <summary>The value of <c>[section] key</c> from the last file that sets it, or null.</summary>
    public AktualizrSetting? Find(string section, string key)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(key);
        for (var i = Files.Count - 1; i >= 0; i--)
        {
            var file = Files[i];
            if (file.FindSection(section)?.Find(key) is { } found)
            {
                return new AktualizrSetting(found.Value, file.SourceName, found.Line, found.Column);
            }
        }

        return null;
    }

    /// <summary>Where <c>[section]</c> is last written with keys (file:line:column of its name), or null when no file has it.</summary>
    public string? SectionPosition(string section)
    {
        ArgumentNullException.ThrowIfNull(section);
        for (var i = Files.Count - 1; i >= 0; i--)
        {
            var file = Files[i];
            if (file.FindSection(section) is { } found)
            {
                return $"{file.SourceName}:{found.Line}:{found.Column}";
            }
        }

        return null;
    }
}
