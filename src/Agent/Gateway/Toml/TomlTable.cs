namespace DeviceTest.Agent.Gateway.Toml;

/// <summary>A TOML table: the document root, a <c>[section]</c>, or a table made by a dotted key.</summary>
public sealed class TomlTable
{
    private readonly Dictionary<string, object> _items = new(StringComparer.Ordinal);

    internal TomlTable(string path, int line, int column, bool isExplicit)
    {
        Path = path;
        Line = line;
        Column = column;
        IsExplicit = isExplicit;
    }

    /// <summary>The dotted name, empty for the root.</summary>
    public string Path { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>Keys in the order they were written.</summary>
    public IReadOnlyList<string> Keys => _order;

    internal bool IsExplicit { get; set; }

    internal bool IsDefinedByDottedKey { get; set; }

    private readonly List<string> _order = [];

    public bool TryGetTable(string key, out TomlTable table)
    {
        if (_items.TryGetValue(key, out var item) && item is TomlTable t)
        {
            table = t;
            return true;
        }

        table = null!;
        return false;
    }

    public bool TryGetValue(string key, out TomlValue value)
    {
        if (_items.TryGetValue(key, out var item) && item is TomlValue v)
        {
            value = v;
            return true;
        }

        value = null!;
        return false;
    }

    /// <summary>The string at <paramref name="key"/>, or null when the key is absent.</summary>
    /// <exception cref="InvalidOperationException">The key holds something else than a string.</exception>
    public string? GetString(string key) => TryGetValue(key, out var v) ? v.AsString() : null;

    internal bool TryGet(string key, out object item) => _items.TryGetValue(key, out item!);

    internal void Add(string key, object item)
    {
        _items.Add(key, item);
        _order.Add(key);
    }
}
