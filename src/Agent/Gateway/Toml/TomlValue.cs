using System.Globalization;

namespace DeviceTest.Agent.Gateway.Toml;

/// <summary>One TOML value with where it was written.</summary>
public sealed class TomlValue
{
    internal TomlValue(TomlValueKind kind, object value, int line, int column)
    {
        Kind = kind;
        Value = value;
        Line = line;
        Column = column;
    }

    public TomlValueKind Kind { get; }

    /// <summary>A <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or <c>IReadOnlyList&lt;TomlValue&gt;</c>.</summary>
    public object Value { get; }

    /// <summary>1-based line where the value starts.</summary>
    public int Line { get; }

    /// <summary>1-based column where the value starts.</summary>
    public int Column { get; }

    public string AsString() => Kind == TomlValueKind.Text ? (string)Value : throw WrongKind("a string");

    public long AsInteger() => Kind == TomlValueKind.WholeNumber ? (long)Value : throw WrongKind("an integer");

    public bool AsBoolean() => Kind == TomlValueKind.Boolean ? (bool)Value : throw WrongKind("true or false");

    public IReadOnlyList<TomlValue> AsArray() => Kind == TomlValueKind.Array ? (IReadOnlyList<TomlValue>)Value : throw WrongKind("an array");

    public override string ToString() => Kind switch
    {
        TomlValueKind.Text => (string)Value,
        TomlValueKind.WholeNumber => ((long)Value).ToString(CultureInfo.InvariantCulture),
        TomlValueKind.FloatingPoint => ((double)Value).ToString("R", CultureInfo.InvariantCulture),
        TomlValueKind.Boolean => (bool)Value ? "true" : "false",
        _ => "[" + string.Join(", ", AsArray()) + "]",
    };

    private string KindName => Kind switch
    {
        TomlValueKind.Text => "a string",
        TomlValueKind.WholeNumber => "an integer",
        TomlValueKind.FloatingPoint => "a number",
        TomlValueKind.Boolean => "a boolean",
        _ => "an array",
    };

    private InvalidOperationException WrongKind(string expected) =>
        new($"line {Line}, column {Column}: expected {expected}, found {KindName}");
}
