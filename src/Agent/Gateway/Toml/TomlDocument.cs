using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Syntax;
using TomlynException = Tomlyn.TomlException;

namespace DeviceTest.Agent.Gateway.Toml;

/// <summary>
/// A TOML file read with Tomlyn (TOML 1.1: tables, arrays of tables, inline tables, multi-line strings, dates...):
/// its values as Tomlyn's model, and where each key was written, for messages that say <c>file:line:column</c>.
/// The model is built from Tomlyn's syntax tree, which has every value and position once its parser has checked
/// every rule: Tomlyn's serializer, which could build it too, made the native devicetest 0.15 MB bigger (docs/native.md).
/// </summary>
public sealed class TomlDocument
{
    /// <summary>Files larger than this are refused (a config file, not a data set).</summary>
    public const int MaxLength = 4 * 1024 * 1024;

    private readonly Dictionary<TomlTable, Dictionary<string, (int Line, int Column)>> _positions;

    private TomlDocument(TomlTable root, string sourceName, Dictionary<TomlTable, Dictionary<string, (int Line, int Column)>> positions)
    {
        Root = root;
        SourceName = sourceName;
        _positions = positions;
    }

    /// <summary>The top-level table: values are strings, longs, doubles, bools, <see cref="TomlDateTime"/>, tables and arrays.</summary>
    public TomlTable Root { get; }

    /// <summary>The file name used in messages.</summary>
    public string SourceName { get; }

    /// <exception cref="TomlException">The text is not valid TOML; the message says where and what.</exception>
    public static TomlDocument Parse(string text, string sourceName = "<toml>")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (text.Length > MaxLength)
        {
            throw new TomlException(sourceName, 1, 1, $"the file is larger than {MaxLength / (1024 * 1024)} MiB; this is not a configuration file");
        }

        try
        {
            // The parser checks every rule (keys or tables defined twice, ...): the tree it gives is a valid document.
            var syntax = SyntaxParser.ParseStrict(text, sourceName, validate: true);
            var document = new TomlDocument(new TomlTable(), sourceName, new(ReferenceEqualityComparer.Instance));
            document.Add(document.Root, syntax.KeyValues);
            foreach (var header in syntax.Tables)
            {
                document.AddTable(header);
            }

            return document;
        }
        catch (TomlynException e)
        {
            throw Translate(e, sourceName);
        }
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
            if (!table.TryGetValue(part, out var item) || item is not TomlTable next)
            {
                return null;
            }

            table = next;
        }

        return table;
    }

    /// <summary>The 1-based line and column where <paramref name="key"/> is written in <paramref name="table"/>; (1, 1) when unknown.</summary>
    public (int Line, int Column) PositionOf(TomlTable table, string key)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(key);
        return _positions.TryGetValue(table, out var keys) && keys.TryGetValue(key, out var position) ? position : (1, 1);
    }

    /// <summary><c>[a.b]</c> or <c>[[a.b]]</c>: its keys go into table b of table a (for an array of tables, a new table at its end).</summary>
    private void AddTable(TableSyntaxBase header)
    {
        var names = Names(header.Name);
        var parent = Root;
        for (var i = 0; i < names.Count - 1; i++)
        {
            parent = TableAt(parent, names[i].Name, names[i].At);
        }

        var (name, at) = names[^1];
        var table = header is TableArraySyntax ? AppendTable(parent, name, at) : TableAt(parent, name, at);
        Add(table, header.Items);
    }

    /// <summary>Adds <paramref name="keyValues"/> to <paramref name="table"/>; a dotted key's first parts are tables.</summary>
    private void Add(TomlTable table, IEnumerable<KeyValueSyntax> keyValues)
    {
        foreach (var keyValue in keyValues)
        {
            var names = Names(keyValue.Key);
            var target = table;
            for (var i = 0; i < names.Count - 1; i++)
            {
                target = TableAt(target, names[i].Name, names[i].At);
            }

            target[names[^1].Name] = Value(keyValue.Value);
            Remember(target, names[^1].Name, keyValue);
        }
    }

    /// <summary>The table named <paramref name="name"/> in <paramref name="parent"/> (the last one of an array of tables), made if missing.</summary>
    private TomlTable TableAt(TomlTable parent, string name, SyntaxNode? at)
    {
        switch (parent.TryGetValue(name, out var item) ? item : null)
        {
            case TomlTable table:
                return table;
            case TomlTableArray { Count: > 0 } tables:
                return tables[^1];
            default:
                var made = new TomlTable();
                parent[name] = made;
                Remember(parent, name, at);
                return made;
        }
    }

    private TomlTable AppendTable(TomlTable parent, string name, SyntaxNode? at)
    {
        if (!parent.TryGetValue(name, out var item) || item is not TomlTableArray tables)
        {
            tables = [];
            parent[name] = tables;
            Remember(parent, name, at);
        }

        var table = new TomlTable();
        tables.Add(table);
        return table;
    }

    private object Value(ValueSyntax? value) => value switch
    {
        StringValueSyntax text => text.Value ?? string.Empty,
        IntegerValueSyntax integer => integer.Value,
        FloatValueSyntax number => number.Value,
        BooleanValueSyntax boolean => boolean.Value,
        DateTimeValueSyntax date => date.Value,
        ArraySyntax array => ArrayOf(array),
        InlineTableSyntax inline => InlineTable(inline),
        _ => throw new TomlException(SourceName, Line(value), Column(value), $"unexpected value '{value}'"),
    };

    private TomlArray ArrayOf(ArraySyntax array)
    {
        var values = new TomlArray();
        foreach (var item in array.Items)
        {
            values.Add(Value(item.Value));
        }

        return values;
    }

    private TomlTable InlineTable(InlineTableSyntax inline)
    {
        var table = new TomlTable();
        Add(table, inline.Items.Select(item => item.KeyValue).OfType<KeyValueSyntax>());
        return table;
    }

    private void Remember(TomlTable table, string key, SyntaxNode? at)
    {
        if (!_positions.TryGetValue(table, out var keys))
        {
            keys = new Dictionary<string, (int Line, int Column)>(StringComparer.Ordinal);
            _positions[table] = keys;
        }

        keys[key] = (Line(at), Column(at));
    }

    /// <summary>The parts of a (dotted) key and where each is written: <c>a."b.c".d</c> is a, b.c and d.</summary>
    private static List<(string Name, SyntaxNode? At)> Names(KeySyntax? key)
    {
        var names = new List<(string Name, SyntaxNode? At)>();
        if (key is not null)
        {
            names.Add((Name(key.Key), key.Key));
            foreach (var dotted in key.DotKeys)
            {
                names.Add((Name(dotted.Key), dotted.Key));
            }
        }

        return names;
    }

    private static string Name(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? string.Empty,
        StringValueSyntax quoted => quoted.Value ?? string.Empty,
        _ => string.Empty,
    };

    // Tomlyn's positions are 0-based.
    private static int Line(SyntaxNode? node) => (node?.Span.Start.Line ?? 0) + 1;

    private static int Column(SyntaxNode? node) => (node?.Span.Start.Column ?? 0) + 1;

    private static TomlException Translate(TomlynException e, string sourceName)
    {
        // Tomlyn's positions are 0-based; its first diagnostic is the one that matters (later ones follow from it).
        var first = e.Diagnostics is { Count: > 0 } diagnostics ? diagnostics[0] : null;
        var line = first is not null ? first.Span.Start.Line : e.Span?.Start.Line ?? 0;
        var column = first is not null ? first.Span.Start.Column : e.Span?.Start.Column ?? 0;
        var problem = (first?.Message ?? e.Message).Trim();
        if (problem.Contains("for a value", StringComparison.Ordinal))
        {
            problem += "; strings need quotes, e.g. server = \"https://...\"";
        }

        return new TomlException(sourceName, line + 1, column + 1, problem);
    }
}
