namespace DeviceTest.Agent.Gateway.Config;

/// <summary>A file of aktualizr-lite's configuration could not be read; the message names the file, line and column.</summary>
public sealed class AktualizrConfigException : FormatException
{
    public AktualizrConfigException()
    {
        SourceName = string.Empty;
    }

    public AktualizrConfigException(string message)
        : base(message)
    {
        SourceName = string.Empty;
    }

    public AktualizrConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceName = string.Empty;
    }

    public AktualizrConfigException(string sourceName, int line, int column, string problem)
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
