namespace DeviceTest.Agent.Gateway.Config;

/// <summary>A <c>[name]</c> section of an aktualizr configuration file with the keys written under it (at least one).</summary>
public sealed class AktualizrConfigSection
{
    private readonly List<AktualizrConfigKey> _keys = [];
    private readonly Dictionary<string, AktualizrConfigKey> _byName = new(StringComparer.Ordinal);

    internal AktualizrConfigSection(string name, int line, int column)
    {
        Name = name;
        Line = line;
        Column = column;
    }

    /// <summary>The text between <c>[</c> and the first <c>]</c>, without the blanks around it (may be empty).</summary>
    public string Name { get; }

    /// <summary>1-based line of the section's header.</summary>
    public int Line { get; }

    /// <summary>1-based column of the name's first character (of the <c>]</c> when the name is empty).</summary>
    public int Column { get; }

    /// <summary>The keys in the order they are written.</summary>
    public IReadOnlyList<AktualizrConfigKey> Keys => _keys;

    /// <summary>The key named exactly <paramref name="name"/> (case-sensitive), or null.</summary>
    public AktualizrConfigKey? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.GetValueOrDefault(name);
    }

    internal void Add(AktualizrConfigKey key)
    {
        _keys.Add(key);
        _byName.Add(key.Name, key);
    }
}
