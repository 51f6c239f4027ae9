using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;
using TomlynException = Tomlyn.TomlException;

namespace DeviceTest.Agent.Gateway.Toml;

/// <summary>
/// A TOML file read with Tomlyn (TOML 1.1: tables, arrays of tables, inline tables, multi-line strings, dates...):
/// its values as Tomlyn's model, and where each key was written, for messages that say <c>file:line:column</c>.
/// </summary>
public sealed class TomlDocument
{
    /// <summary>Files larger than this are refused (a config file, not a data set).</summary>
    public const int MaxLength = 4 * 1024 * 1024;

    private readonly TomlMetadataStore _positions;

    private TomlDocument(TomlTable root, string sourceName, TomlMetadataStore positions)
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
            // The syntax pass checks every rule (keys or tables defined twice, ...); the model pass gives the values and,
            // through the metadata store, each key's position.
            SyntaxParser.ParseStrict(text, sourceName, validate: true);
            var positions = new TomlMetadataStore();
            var options = new TomlSerializerOptions { SourceName = sourceName, MetadataStore = positions };
            var root = TomlSerializer.Deserialize(text, new TomlModelContext(options).TomlTable) ?? new TomlTable();
            return new TomlDocument(root, sourceName, positions);
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
        return _positions.TryGetProperties(table, out var properties)
            && properties is not null
            && properties.TryGetProperty(key, out var property)
            && property?.Span is { } span
            ? (span.Start.Line + 1, span.Start.Column + 1)
            : (1, 1);
    }

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
