namespace DeviceTest.Agent.Gateway.Toml;

/// <summary>
/// A parsed TOML file. Supports what configuration files such as aktualizr-lite's <c>sota.toml</c> use: tables
/// (<c>[a]</c>, <c>[a.b]</c>), dotted and quoted keys, basic and literal strings (single-line), integers, floats,
/// booleans, arrays, and comments. Arrays of tables, inline tables, multi-line strings and dates are refused with a
/// clear message and position.
/// </summary>
public sealed class TomlDocument
{
    /// <summary>Files larger than this are refused (a config file, not a data set).</summary>
    public const int MaxLength = 4 * 1024 * 1024;

    private TomlDocument(TomlTable root, string sourceName)
    {
        Root = root;
        SourceName = sourceName;
    }

    public TomlTable Root { get; }

    /// <summary>The file name used in messages.</summary>
    public string SourceName { get; }

    /// <exception cref="TomlException">The text is not valid (or not supported) TOML.</exception>
    public static TomlDocument Parse(string text, string sourceName = "<toml>")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (text.Length > MaxLength)
        {
            throw new TomlException(sourceName, 1, 1, $"the file is larger than {MaxLength / (1024 * 1024)} MiB; this is not a configuration file");
        }

        return new TomlDocument(new TomlParser(text, sourceName).Parse(), sourceName);
    }

    /// <exception cref="TomlException">The file is not valid TOML.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TomlDocument Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxLength)
        {
            throw new TomlException(path, 1, 1, $"the file is larger than {MaxLength / (1024 * 1024)} MiB; this is not a configuration file");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The table at a dotted path of bare keys (<c>"tls"</c>, <c>"a.b"</c>), or null.</summary>
    public TomlTable? GetTable(string dottedPath)
    {
        ArgumentNullException.ThrowIfNull(dottedPath);
        var table = Root;
        foreach (var part in dottedPath.Split('.'))
        {
            if (!table.TryGetTable(part, out table))
            {
                return null;
            }
        }

        return table;
    }
}
