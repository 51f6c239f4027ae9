using DeviceTest.Hardware;
using DeviceTest.Hardware.Yaml;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// What a <see cref="StepKind"/>'s reader gets: the value of its key, where the step stands, the step's
/// <c>repeat</c>, and helpers that read values as fiotest does and report problems with file:line:column.
/// </summary>
public sealed class StepSource
{
    internal StepSource(YamlDocumentReader document, YamlNode value, int index, SourcePosition position, RepeatPolicy? repeat)
    {
        Document = document;
        Value = value;
        Index = index;
        Position = position;
        Repeat = repeat;
    }

    /// <summary>Reports errors and warnings (<see cref="YamlDocumentReader.Error(YamlNode, string, string)"/>) with positions.</summary>
    public YamlDocumentReader Document { get; }

    /// <summary>The value of the kind's key (never an empty value).</summary>
    public YamlNode Value { get; }

    /// <summary>0-based index of the step in <c>sequence</c>.</summary>
    public int Index { get; }

    /// <summary>Where the step's mapping starts.</summary>
    public SourcePosition Position { get; }

    /// <summary>The step's <c>repeat</c>, when it has one.</summary>
    public RepeatPolicy? Repeat { get; }

    /// <summary>The folder of the spec file, for paths a step gives relative to the spec.</summary>
    public string SpecDirectory => Path.GetDirectoryName(Path.GetFullPath(Document.FilePath)) ?? Directory.GetCurrentDirectory();

    /// <summary>The value as a mapping named <paramref name="what"/> in messages (e.g. "`reboot`"), or null after an error.</summary>
    public YamlMappingReader? Mapping(string what) => Document.AsMapping(Value, what);

    public SourcePosition PositionOf(YamlNode node)
    {
        var position = Document.PositionOf(node);
        return new SourcePosition(position.File, position.Line, position.Column);
    }

    /// <summary>
    /// The <c>command</c> of <paramref name="owner"/> (required): an argv list, or one string for the device's shell.
    /// Null after an error (every bad item of a list is reported).
    /// </summary>
    public CommandLine? ReadCommand(YamlMappingReader owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var node = owner.Value("command", required: true);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode:
                var text = Document.AsString(node, "`command`");
                if (text is null)
                {
                    return null;
                }

                if (text.Trim().Length == 0)
                {
                    Document.Error(node, SpecErrorCodes.EmptyValue, "`command` must not be empty");
                    return null;
                }

                return CommandLine.FromShell(text);
            case YamlSequenceNode list:
                return ReadArguments(list);
            default:
                Document.Error(node, SpecErrorCodes.WrongType,
                    $"`command` must be a list (argv) or a string (for the shell), not {YamlDocumentReader.Describe(node)}");
                return null;
        }
    }

    /// <summary>
    /// A scalar as fiotest turns it into text (unquoted <c>yes</c> is <c>True</c>, with a warning); lists, mappings
    /// and empty values are errors. <paramref name="what"/> names the value in messages.
    /// </summary>
    public string? ReadText(YamlNode node, string what)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is not YamlScalarNode scalar)
        {
            Document.Error(node, SpecErrorCodes.WrongType, $"{what} must be a string, not {YamlDocumentReader.Describe(node)}");
            return null;
        }

        if (YamlDocumentReader.IsNull(scalar))
        {
            Document.Error(node, SpecErrorCodes.EmptyValue, $"{what} has no value; write '' for an empty string");
            return null;
        }

        var written = Document.AsString(scalar, what);
        if (written is null)
        {
            return null;
        }

        var text = FiotestScalar.ToText(scalar);
        if (!string.Equals(text, written, StringComparison.Ordinal))
        {
            Document.Warning(scalar, SpecErrorCodes.ValueCoerced,
                $"{what}: unquoted `{written}` is read as `{text}` (YAML 1.1, as fiotest reads it); write '{written}' to keep the text");
        }

        return text;
    }

    private CommandLine? ReadArguments(YamlSequenceNode list)
    {
        if (list.Children.Count == 0)
        {
            Document.Error(list, SpecErrorCodes.EmptyValue,
                "`command` must not be an empty list; give the program and its arguments, e.g. [uname, -a]");
            return null;
        }

        var arguments = new List<string>();
        var valid = true;
        foreach (var item in list.Children)
        {
            // After one bad item, the other items are still read, so that every bad one is reported.
            if (ReadText(item, "an item of `command`") is { } argument)
            {
                arguments.Add(argument);
            }
            else
            {
                valid = false;
            }
        }

        if (!valid)
        {
            return null;
        }

        if (arguments[0].Trim().Length == 0)
        {
            Document.Error(list.Children[0], SpecErrorCodes.EmptyValue, "the program (first item of `command`) must not be empty");
            return null;
        }

        return CommandLine.FromArguments(arguments);
    }
}
