using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Framework.Specs;

/// <summary>
/// Diagnostic codes for spec files: the DT0xxx range, one code per kind of problem. DT000x: reading the file;
/// DT001x: YAML; DT002x: keys and values; DT003x: spec rules; DT004x: warnings (the spec still loads).
/// </summary>
public static class SpecErrorCodes
{
    /// <summary>The spec file does not exist.</summary>
    public const string FileNotFound = "DT0001";

    /// <summary>The path names a directory.</summary>
    public const string IsDirectory = "DT0002";

    /// <summary>The file cannot be read (permissions, I/O).</summary>
    public const string Unreadable = "DT0003";

    /// <summary>The file is larger than 8 MiB; it is refused before parsing.</summary>
    public const string TooLarge = "DT0004";

    /// <summary>The file is not valid UTF-8 (the position of the first bad byte is given).</summary>
    public const string NotUtf8 = "DT0005";

    /// <summary>The file is empty, blank or only comments.</summary>
    public const string Empty = "DT0006";

    /// <summary>YAML syntax error, at the parser's position.</summary>
    public const string Syntax = "DT0010";

    /// <summary>More than one YAML document (<c>---</c>) in the file.</summary>
    public const string MultipleDocuments = "DT0011";

    /// <summary>A key appears twice in one mapping.</summary>
    public const string DuplicateKey = "DT0012";

    /// <summary>A key the format does not know, at the key, with a "did you mean" when one is close.</summary>
    public const string UnknownKey = "DT0020";

    /// <summary>A value of the wrong kind (a mapping where a list belongs, a list where a string belongs...).</summary>
    public const string WrongType = "DT0021";

    /// <summary>A required key is missing: <c>sequence</c>, a test's <c>name</c> or <c>command</c>, a reboot's <c>command</c>.</summary>
    public const string MissingKey = "DT0022";

    /// <summary>A key without a value, or an empty name, command or list where one is needed.</summary>
    public const string EmptyValue = "DT0023";

    /// <summary>A number (<c>total</c>, <c>delay_seconds</c>) that is not a whole number.</summary>
    public const string NotANumber = "DT0024";

    /// <summary>A negative or otherwise out-of-range number or duration (e.g. <c>total: -2</c>, <c>delay_seconds: -1</c>).</summary>
    public const string OutOfRange = "DT0025";

    /// <summary>A <c>timeout</c> not written 90s, 5m, 1h30m, hh:mm:ss or whole seconds.</summary>
    public const string BadDuration = "DT0026";

    /// <summary>The document is not a mapping (e.g. a bare list or a string).</summary>
    public const string NotAMapping = "DT0030";

    /// <summary>Two tests of one step have the same name; reported at the second.</summary>
    public const string DuplicateTestName = "DT0031";

    /// <summary>An <c>env</c> key that is not a valid environment variable name.</summary>
    public const string BadEnvironmentName = "DT0032";

    /// <summary>A step names two kinds (e.g. <c>reboot</c> and a later kind); only fiotest's <c>reboot</c> beside <c>tests</c> is a warning.</summary>
    public const string SeveralStepKinds = "DT0033";

    /// <summary>A file a step names (a <c>screen</c> step's reference or mask) does not exist or cannot be read.</summary>
    public const string FileNotReadable = "DT0034";

    /// <summary>An image a step names is not one DeviceTest reads, or a mask or rectangle does not fit its reference.</summary>
    public const string BadImage = "DT0035";

    /// <summary>An unknown key name in a <c>keys</c> step, or text a US keyboard cannot type.</summary>
    public const string BadKey = "DT0036";

    /// <summary>A step that needs exactly one of two keys has both or neither (<c>keys</c>: <c>press</c> or <c>type</c>).</summary>
    public const string OneOfKeys = "DT0037";

    /// <summary>Warning: a step has both <c>reboot</c> and <c>tests</c>; as in fiotest, the reboot runs and the tests are ignored.</summary>
    public const string RebootAndTests = "DT0040";

    /// <summary>Warning: a step names no kind (<c>tests</c>, <c>reboot</c>...) or has an empty <c>tests</c> list; it does nothing.</summary>
    public const string EmptyStep = "DT0041";

    /// <summary>
    /// Warning: an unquoted value is read as a YAML 1.1 boolean or number and turned into text as fiotest does
    /// (e.g. <c>yes</c> → <c>True</c>, <c>010</c> → <c>8</c>); quote it to keep the text.
    /// </summary>
    public const string ValueCoerced = "DT0042";

    /// <summary>Warning: <c>repeat</c> on a step that does not repeat (a reboot step...) has no effect.</summary>
    public const string RepeatIgnored = "DT0043";

    /// <summary>Warning: <c>sequence</c> is empty; the spec runs nothing.</summary>
    public const string EmptySequence = "DT0044";

    /// <summary>Warning: a <c>flash</c> step's image does not exist (yet): the build may make it before the run.</summary>
    public const string ImageNotFound = "DT0045";

    /// <summary>The code for a problem found by the shared YAML reader.</summary>
    public static string For(YamlProblem problem) => YamlProblemCodes.Code(0, problem);
}
