namespace DeviceTest.Agent.Gateway.Config;

/// <summary>One key of aktualizr's merged configuration: its value and the file, line and column that set it last.</summary>
/// <param name="Value">The value as aktualizr reads a string: blanks around it and every <c>"</c> removed.</param>
/// <param name="SourceName">The file that set it.</param>
/// <param name="Line">1-based line of the key.</param>
/// <param name="Column">1-based column of the key.</param>
public sealed record AktualizrSetting(string Value, string SourceName, int Line, int Column)
{
    /// <summary><c>file:line:column</c>, for messages.</summary>
    public string Position => $"{SourceName}:{Line}:{Column}";
}
