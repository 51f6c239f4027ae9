namespace DeviceTest.Hardware.Yaml;

/// <summary>
/// The kinds of problem <see cref="YamlDocumentReader"/> and <see cref="YamlMappingReader"/> find on their own. Each
/// loader maps them to its own diagnostic codes (DT0xxx for specs, DT1xxx for devices files).
/// </summary>
public enum YamlProblem
{
    /// <summary>The file does not exist.</summary>
    FileNotFound,

    /// <summary>The path names a directory.</summary>
    IsDirectory,

    /// <summary>The file exists but cannot be read (permissions, I/O error).</summary>
    Unreadable,

    /// <summary>The file is larger than the reader's limit.</summary>
    TooLarge,

    /// <summary>The file's bytes are not valid UTF-8.</summary>
    NotUtf8,

    /// <summary>The file holds no YAML document (empty, blank or comments only).</summary>
    Empty,

    /// <summary>YAML syntax error reported by the parser.</summary>
    Syntax,

    /// <summary>More than one YAML document (<c>---</c>) in the file.</summary>
    MultipleDocuments,

    /// <summary>The same key twice in one mapping.</summary>
    DuplicateKey,

    /// <summary>A key the format does not know.</summary>
    UnknownKey,

    /// <summary>A value of the wrong kind (a list where a string belongs, a mapping where a number belongs...).</summary>
    WrongType,

    /// <summary>A required key is missing.</summary>
    MissingKey,

    /// <summary>A key is present but has no value (or an empty one where a value is needed).</summary>
    EmptyValue,

    /// <summary>A number was expected and the value is not a whole number.</summary>
    NotANumber,

    /// <summary>A number (or duration) is negative or outside its allowed range.</summary>
    OutOfRange,

    /// <summary>A duration that is not written <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>hh:mm:ss</c> or whole seconds.</summary>
    BadDuration,
}
