namespace DeviceTest.Agent.Gateway.Toml;

/// <summary>A TOML file could not be read; the message names the file, line and column.</summary>
public sealed class TomlException : FormatException
{
    public TomlException()
    {
        SourceName = string.Empty;
    }

    public TomlException(string message)
        : base(message)
    {
        SourceName = string.Empty;
    }

    public TomlException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceName = string.Empty;
    }

    public TomlException(string sourceName, int line, int column, string problem)
        : base($"{sourceName}:{line}:{column}: {problem}")
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file (or other source) that was being read.</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; }

    /// <summary>The problem without the position.</summary>
    public string? Problem { get; }
}
