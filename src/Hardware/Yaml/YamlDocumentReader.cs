using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DeviceTest.Hardware.Yaml;

/// <summary>
/// Reads one YAML configuration file safely and collects diagnostics instead of throwing: a missing file, a
/// directory, an unreadable or oversized file, non-UTF-8 bytes, an empty file and YAML syntax errors all become
/// <see cref="YamlDiagnostic"/>s with <c>file:line:col</c>. The loaders built on it report their own problems
/// through <see cref="Error(YamlNode, string, string)"/> and friends so that one file gives one list.
/// </summary>
public sealed class YamlDocumentReader
{
    /// <summary>8 MiB: far beyond any spec or devices file; bigger files are refused before parsing.</summary>
    public const long DefaultMaxBytes = 8L * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly List<YamlDiagnostic> diagnostics = [];
    private readonly Func<YamlProblem, string> codes;

    /// <param name="filePath">The file as the user gave it; diagnostics name it this way.</param>
    /// <param name="codes">The loader's diagnostic code for each kind of problem.</param>
    public YamlDocumentReader(string filePath, Func<YamlProblem, string> codes)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        ArgumentNullException.ThrowIfNull(codes);
        FilePath = filePath;
        this.codes = codes;
    }

    public string FilePath { get; }

    /// <summary>Files larger than this many bytes are refused with one error.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    public IReadOnlyList<YamlDiagnostic> Diagnostics => diagnostics;

    public bool HasErrors => diagnostics.Exists(d => d.IsError);

    /// <summary>The code the loader uses for <paramref name="problem"/>.</summary>
    public string CodeFor(YamlProblem problem) => codes(problem);

    /// <summary>Reads and parses <see cref="FilePath"/>; the root node, or null after reporting why not.</summary>
    public YamlNode? ReadFile()
    {
        var bytes = new YamlFileBytes(this).Read();
        return bytes is null ? null : ReadBytes(bytes);
    }

    /// <summary>Like <see cref="ReadFile"/>, reading the file asynchronously.</summary>
    public async Task<YamlNode?> ReadFileAsync(CancellationToken cancellationToken)
    {
        var bytes = await new YamlFileBytes(this).ReadAsync(cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : ReadBytes(bytes);
    }

    /// <summary>Parses file content given as bytes (UTF-8, an optional BOM is skipped).</summary>
    public YamlNode? ReadBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            ReportTooLarge(bytes.Length);
            return null;
        }

        var body = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes;
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            var (line, column, value) = FindInvalidUtf8(body);
            Add(new ConfigPosition(FilePath, line, column), ConfigSeverity.Error, codes(YamlProblem.NotUtf8),
                $"the file is not valid UTF-8: byte 0x{value:X2} at line {line}, column {column} cannot be decoded; " +
                "save the file as UTF-8");
            return null;
        }

        return ReadText(text);
    }

    /// <summary>Parses YAML text (the file's content).</summary>
    public YamlNode? ReadText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            ReportTooLarge(text.Length);
            return null;
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        // One pass over the text: the parser is wrapped so that lists and mappings nested too deeply stop the load
        // before YamlDotNet, which builds nodes recursively, goes deeper (a hostile file would otherwise overflow the
        // stack, which ends the process instead of giving a diagnostic).
        var parser = new NestingGuard(new Parser(new StringReader(text)), MaxNesting);
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (NestingGuard.TooDeepException)
        {
            ReportTooDeep(parser.TooDeepAt);
            return null;
        }
        catch (YamlException ex) when (!parser.ParserFailed)
        {
            // Building the nodes failed (a duplicate key, an unknown alias): a syntax error or too deep nesting later
            // in the text is still the problem to report, as the whole text is checked before the nodes matter.
            try
            {
                while (parser.MoveNext())
                {
                }
            }
            catch (NestingGuard.TooDeepException)
            {
                ReportTooDeep(parser.TooDeepAt);
                return null;
            }
            catch (YamlException syntax)
            {
                ReportYamlException(syntax);
                return null;
            }

            ReportYamlException(ex);
            return null;
        }
        catch (YamlException ex)
        {
            ReportYamlException(ex);
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            Add(new ConfigPosition(FilePath, 1, 1), ConfigSeverity.Error, codes(YamlProblem.Empty),
                "the file is empty: it holds no YAML document");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            Error(stream.Documents[1].RootNode, YamlProblem.MultipleDocuments,
                "the file holds more than one YAML document (`---`); put everything in one document");
        }

        return stream.Documents[0].RootNode;
    }

    /// <summary>How deeply lists and mappings may nest; real specs and devices files use fewer than 10 levels.</summary>
    public const int MaxNesting = 64;

    /// <summary>The 1-based line and column where <paramref name="node"/> starts.</summary>
    public ConfigPosition PositionOf(YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new ConfigPosition(FilePath, ClampToInt(node.Start.Line), ClampToInt(node.Start.Column));
    }

    /// <summary>A mapping reader over <paramref name="node"/>, or null after a wrong-type error.</summary>
    /// <param name="node">The value.</param>
    /// <param name="what">What the value is, for messages, e.g. "`ssh`" or "a test".</param>
    public YamlMappingReader? AsMapping(YamlNode node, string what)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is YamlMappingNode mapping)
        {
            return new YamlMappingReader(this, mapping, what);
        }

        Error(node, IsNull(node) ? YamlProblem.EmptyValue : YamlProblem.WrongType,
            $"{what} must be a mapping (key: value), not {Describe(node)}");
        return null;
    }

    /// <summary>The node as a sequence, or null after a wrong-type error.</summary>
    public YamlSequenceNode? AsSequence(YamlNode node, string what)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(node, IsNull(node) ? YamlProblem.EmptyValue : YamlProblem.WrongType,
            $"{what} must be a list, not {Describe(node)}");
        return null;
    }

    /// <summary>The scalar's text as written, or null after an error (not a scalar, no value, a tag).</summary>
    public string? AsString(YamlNode node, string what)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is not YamlScalarNode scalar)
        {
            Error(node, YamlProblem.WrongType, $"{what} must be a string, not {Describe(node)}");
            return null;
        }

        if (IsNull(scalar))
        {
            Error(node, YamlProblem.EmptyValue, $"{what} has no value");
            return null;
        }

        if (!HasPlainTag(scalar))
        {
            Error(node, YamlProblem.WrongType, $"{what}: YAML tag `{scalar.Tag}` is not supported here; remove it");
            return null;
        }

        return scalar.Value ?? string.Empty;
    }

    public void Error(YamlNode node, YamlProblem problem, string message) => Error(node, codes(problem), message);

    public void Error(YamlNode node, string code, string message) => Add(PositionOf(node), ConfigSeverity.Error, code, message);

    public void Warning(YamlNode node, string code, string message) => Add(PositionOf(node), ConfigSeverity.Warning, code, message);

    /// <summary>Adds a diagnostic at an explicit position.</summary>
    public void Add(ConfigPosition position, ConfigSeverity severity, string code, string message) =>
        diagnostics.Add(new YamlDiagnostic(position, severity, code, message));

    /// <summary>True for a plain scalar that YAML reads as null: empty, <c>~</c>, <c>null</c>.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar &&
        (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific || scalar.Tag.Value == "tag:yaml.org,2002:null") &&
        scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>True for a plain scalar (not quoted, not a block scalar) without an explicit tag.</summary>
    public static bool IsPlain(YamlScalarNode scalar)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        return scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific);
    }

    /// <summary>"a list", "a mapping", "the string 'x'", "no value": for messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ when IsNull(node) => "an empty value",
        YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } => "a single value",
        _ => "a string",
    };

    private void ReportYamlException(YamlException ex)
    {
        var line = Math.Max(1, (int)Math.Min(ex.Start.Line, int.MaxValue));
        var column = Math.Max(1, (int)Math.Min(ex.Start.Column, int.MaxValue));
        var position = new ConfigPosition(FilePath, line, column);
        var message = InnermostMessage(ex);
        if (message.StartsWith("Duplicate key", StringComparison.Ordinal))
        {
            var key = message["Duplicate key".Length..].Trim();
            Add(position, ConfigSeverity.Error, codes(YamlProblem.DuplicateKey),
                $"duplicate key `{key}`: a key may appear only once in a mapping; remove or rename one of them");
        }
        else
        {
            Add(position, ConfigSeverity.Error, codes(YamlProblem.Syntax), $"YAML syntax error: {message}");
        }
    }

    private void ReportTooDeep(Mark start) =>
        Add(new ConfigPosition(FilePath, ClampToInt(start.Line), ClampToInt(start.Column)), ConfigSeverity.Error,
            codes(YamlProblem.Syntax), $"lists and mappings are nested more than {MaxNesting} levels deep");

    private static bool HasPlainTag(YamlScalarNode scalar) =>
        scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific || scalar.Tag.Value == "tag:yaml.org,2002:str";

    private static int ClampToInt(long value) => (int)Math.Clamp(value, 1, int.MaxValue);

    private static string InnermostMessage(YamlException ex)
    {
        // YamlDotNet wraps some errors; the inner message is the informative one.
        Exception current = ex;
        while (current.InnerException is YamlException inner)
        {
            current = inner;
        }

        return current.Message.TrimEnd('.', ' ');
    }

    private static (int Line, int Column, byte Value) FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int line = 1, column = 1, index = 0;
        while (index < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[index..], out var rune, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return (line, column, bytes[index]);
            }

            if (rune.Value == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column += rune.Utf16SequenceLength;
            }

            index += consumed;
        }

        return (line, column, 0);
    }

    /// <summary>Reports that the file is larger than <see cref="MaxBytes"/> (<paramref name="length"/> bytes or more).</summary>
    internal void ReportTooLarge(long length)
    {
        var size = length > MaxBytes + 1 ? $"{length.ToString(CultureInfo.InvariantCulture)} bytes" : "more than that";
        Add(new ConfigPosition(FilePath, 1, 1), ConfigSeverity.Error, codes(YamlProblem.TooLarge),
            $"the file is too large ({size}); the limit is {MaxBytes / (1024 * 1024)} MiB. Is this the right file?");
    }
}
