namespace DeviceTest.Hardware.Yaml;

/// <summary>How bad a <see cref="YamlDiagnostic"/> is: a warning still lets the file load.</summary>
public enum ConfigSeverity
{
    Warning,
    Error,
}
