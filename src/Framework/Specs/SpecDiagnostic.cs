namespace DeviceTest.Framework.Specs;

/// <summary>One problem found in a spec, printed as <c>file:line:col: error DT0xxx: message</c>.</summary>
public sealed record SpecDiagnostic(SourcePosition Position, DiagnosticSeverity Severity, string Code, string Message)
{
    public override string ToString() =>
        $"{Position}: {(Severity == DiagnosticSeverity.Error ? "error" : "warning")} {Code}: {Message}";
}
