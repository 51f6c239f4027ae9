using System.Globalization;
using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Suites;

/// <summary>
/// A problem found while discovering suites (a wrong test signature, a bad timeout, a suite that cannot be
/// instantiated), printed as <c>file:line: error DT1xxx: message</c> or <c>Type.Method: error ...</c> without a PDB.
/// </summary>
public sealed record SuiteDiagnostic(
    DiagnosticSeverity Severity,
    string Code,
    string Message,
    string? TypeName,
    string? MemberName,
    string? SourceFile,
    int? SourceLine)
{
    public override string ToString()
    {
        var where = SourceFile is not null
            ? SourceLine is int line ? string.Create(CultureInfo.InvariantCulture, $"{SourceFile}:{line}") : SourceFile
            : MemberName is not null ? $"{TypeName}.{MemberName}" : TypeName ?? "(assembly)";
        return $"{where}: {(Severity == DiagnosticSeverity.Error ? "error" : "warning")} {Code}: {Message}";
    }
}
