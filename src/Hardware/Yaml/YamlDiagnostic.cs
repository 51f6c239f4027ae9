namespace DeviceTest.Hardware.Yaml;

/// <summary>One problem found in a YAML configuration file, printed as <c>file:line:col: error DT1xxx: message</c>.</summary>
public sealed record YamlDiagnostic(ConfigPosition Position, ConfigSeverity Severity, string Code, string Message)
{
    public bool IsError => Severity == ConfigSeverity.Error;

    public override string ToString() =>
        $"{Position}: {(Severity == ConfigSeverity.Error ? "error" : "warning")} {Code}: {Message}";
}
