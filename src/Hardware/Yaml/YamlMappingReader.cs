using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Hardware.Yaml;

/// <summary>
/// Typed access to the keys of one YAML mapping. Every accessor reports problems to the owning
/// <see cref="YamlDocumentReader"/> (with the value's position) and returns null instead of throwing, so that a
/// loader can go on and find every problem of a file in one pass.
/// </summary>
public sealed class YamlMappingReader
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> entries = new(StringComparer.Ordinal);

    internal YamlMappingReader(YamlDocumentReader document, YamlMappingNode node, string what)
    {
        Document = document;
        Node = node;
        What = what;
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode scalar && scalar.Value is not null)
            {
                entries.TryAdd(scalar.Value, (scalar, value));
            }
        }
    }

    public YamlDocumentReader Document { get; }

    public YamlMappingNode Node { get; }

    /// <summary>What this mapping is, for messages, e.g. "a test" or "`ssh`".</summary>
    public string What { get; }

    /// <summary>Where the mapping starts (its first key).</summary>
    public ConfigPosition Position => Document.PositionOf(Node);

    /// <summary>The keys, in file order (keys that are not strings are left out).</summary>
    public IEnumerable<string> Keys => Node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty);

    /// <summary>
    /// Reports every key not in <paramref name="allowed"/> as an unknown key, at the key, with a "did you mean"
    /// when one of the allowed keys is close. Keys that are not plain strings are errors too.
    /// </summary>
    public void CheckKeys(params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        foreach (var key in Node.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: not null } scalar)
            {
                Document.Error(key, YamlProblem.WrongType, $"keys of {What} must be strings, not {YamlDocumentReader.Describe(key)}");
                continue;
            }

            if (allowed.Contains(scalar.Value, StringComparer.Ordinal))
            {
                continue;
            }

            var suggestion = KeySuggestion.Closest(scalar.Value, allowed);
            var hint = suggestion is not null
                ? $"did you mean `{suggestion}`?"
                : $"allowed keys: {string.Join(", ", allowed)}";
            Document.Error(scalar, YamlProblem.UnknownKey, $"unknown key `{scalar.Value}` in {What}; {hint}");
        }
    }

    /// <summary>True when <paramref name="key"/> is present (even with an empty value).</summary>
    public bool Contains(string key) => entries.ContainsKey(key);

    /// <summary>True when <paramref name="key"/> is present with a value that is not null/empty.</summary>
    public bool HasValue(string key) => entries.TryGetValue(key, out var entry) && !YamlDocumentReader.IsNull(entry.Value);

    /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
    public YamlNode? Get(string key) => entries.TryGetValue(key, out var entry) ? entry.Value : null;

    /// <summary>The key node of <paramref name="key"/>, or null when absent.</summary>
    public YamlScalarNode? KeyNode(string key) => entries.TryGetValue(key, out var entry) ? entry.Key : null;

    /// <summary>
    /// The value of <paramref name="key"/> when it is present and not null. A missing required key is reported at
    /// the mapping; a key with no value is reported at the value (always for required keys; for optional ones
    /// only when <paramref name="allowNull"/> is false).
    /// </summary>
    public YamlNode? Value(string key, bool required = false, bool allowNull = false)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            if (required)
            {
                Document.Error(Node, YamlProblem.MissingKey, $"{What} has no `{key}`; it is required");
            }

            return null;
        }

        if (YamlDocumentReader.IsNull(entry.Value))
        {
            if (required || !allowNull)
            {
                Document.Error(entry.Value, YamlProblem.EmptyValue, $"`{key}` has no value");
            }

            return null;
        }

        return entry.Value;
    }

    /// <summary>A string value as written. <paramref name="allowEmpty"/>: whether <c>''</c> is fine.</summary>
    public string? Text(string key, bool required = false, bool allowEmpty = false)
    {
        var node = Value(key, required);
        if (node is null)
        {
            return null;
        }

        var text = Document.AsString(node, $"`{key}`");
        if (text is not null && !allowEmpty && text.Trim().Length == 0)
        {
            Document.Error(node, YamlProblem.EmptyValue, $"`{key}` must not be empty");
            return null;
        }

        return text;
    }

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public int? Number(string key, int min = 0, int max = int.MaxValue, bool required = false)
    {
        var node = Value(key, required);
        return node is null ? null : AsNumber(node, $"`{key}`", min, max);
    }

    /// <summary>The node as a whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public int? AsNumber(YamlNode node, string what, int min = 0, int max = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is not YamlScalarNode scalar)
        {
            Document.Error(node, YamlProblem.WrongType, $"{what} must be a number, not {YamlDocumentReader.Describe(node)}");
            return null;
        }

        var text = scalar.Value ?? string.Empty;
        if (!YamlDocumentReader.IsPlain(scalar) || !IsInteger(text))
        {
            Document.Error(node, YamlProblem.NotANumber,
                $"{what} must be a whole number, not {(YamlDocumentReader.IsPlain(scalar) ? $"`{text}`" : "a quoted string")}");
            return null;
        }

        var inRange = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) &&
            value >= min && value <= max;
        if (!inRange)
        {
            var rule = text.StartsWith('-') && min >= 0 ? "must not be negative"
                : max == int.MaxValue ? $"must be at least {min}"
                : $"must be between {min} and {max}";
            Document.Error(node, YamlProblem.OutOfRange, $"{what} {rule}, not {text}");
            return null;
        }

        return (int)value;
    }

    /// <summary>A boolean: true/false (YAML 1.1 also yes/no/on/off).</summary>
    public bool? Flag(string key, bool required = false)
    {
        var node = Value(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode scalar && YamlDocumentReader.IsPlain(scalar))
        {
            switch (scalar.Value)
            {
                case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                    return true;
                case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                    return false;
            }
        }

        Document.Error(node, YamlProblem.WrongType, $"`{key}` must be true or false, not {Shown(node)}");
        return null;
    }

    /// <summary>A positive duration: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>hh:mm:ss</c> or whole seconds.</summary>
    public TimeSpan? Duration(string key, bool required = false)
    {
        var node = Value(key, required);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Document.Error(node, YamlProblem.WrongType,
                $"`{key}` must be a duration ({DurationText.Forms}), not {YamlDocumentReader.Describe(node)}");
            return null;
        }

        var text = (scalar.Value ?? string.Empty).Trim();
        if (text.StartsWith('-') && DurationText.TryParse(text[1..], out _))
        {
            Document.Error(node, YamlProblem.OutOfRange, $"`{key}` must not be negative, not {text}");
            return null;
        }

        if (!DurationText.TryParse(text, out var value))
        {
            Document.Error(node, YamlProblem.BadDuration, $"`{key}` must be a duration ({DurationText.Forms}), not `{text}`");
            return null;
        }

        if (value <= TimeSpan.Zero)
        {
            Document.Error(node, YamlProblem.OutOfRange, $"`{key}` must be longer than zero");
            return null;
        }

        return value;
    }

    /// <summary>A list of strings (scalars as written).</summary>
    public IReadOnlyList<string>? StringList(string key, bool required = false)
    {
        var node = Value(key, required);
        if (node is null)
        {
            return null;
        }

        var sequence = Document.AsSequence(node, $"`{key}`");
        if (sequence is null)
        {
            return null;
        }

        var list = new List<string>();
        var ok = true;
        foreach (var item in sequence.Children)
        {
            var text = Document.AsString(item, $"an item of `{key}`");
            if (text is null)
            {
                ok = false;
            }
            else
            {
                list.Add(text);
            }
        }

        return ok ? list : null;
    }

    /// <summary>A mapping of string keys to string values (scalars as written).</summary>
    public IReadOnlyDictionary<string, string>? StringMap(string key, bool required = false)
    {
        var node = Value(key, required);
        if (node is null)
        {
            return null;
        }

        var mapping = Document.AsMapping(node, $"`{key}`");
        if (mapping is null)
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (itemKey, itemValue) in mapping.Node.Children)
        {
            var name = Document.AsString(itemKey, $"a key of `{key}`");
            var value = Document.AsString(itemValue, name is null ? $"a value of `{key}`" : $"`{key}.{name}`");
            if (name is null || value is null)
            {
                ok = false;
                continue;
            }

            map[name] = value;
        }

        return ok ? map : null;
    }

    /// <summary>A nested mapping.</summary>
    public YamlMappingReader? Mapping(string key, bool required = false, string? what = null)
    {
        var node = Value(key, required);
        return node is null ? null : Document.AsMapping(node, what ?? $"`{key}`");
    }

    /// <summary>A nested list.</summary>
    public YamlSequenceNode? Sequence(string key, bool required = false, bool allowNull = false)
    {
        var node = Value(key, required, allowNull);
        return node is null ? null : Document.AsSequence(node, $"`{key}`");
    }

    private static bool IsInteger(string text)
    {
        var digits = text.StartsWith('-') || text.StartsWith('+') ? text.AsSpan(1) : text.AsSpan();
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    private static string Shown(YamlNode node) =>
        node is YamlScalarNode { Value: { Length: > 0 and < 40 } text } ? $"`{text}`" : YamlDocumentReader.Describe(node);
}
