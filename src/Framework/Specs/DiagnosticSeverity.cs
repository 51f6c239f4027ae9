namespace DeviceTest.Framework.Specs;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}
