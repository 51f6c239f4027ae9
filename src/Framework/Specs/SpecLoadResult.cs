namespace DeviceTest.Framework.Specs;

/// <summary>The outcome of loading one spec file: the spec when it has no errors, and every diagnostic.</summary>
public sealed class SpecLoadResult
{
    public required string FilePath { get; init; }

    /// <summary>Null when <see cref="Diagnostics"/> holds an error.</summary>
    public TestSpec? Spec { get; init; }

    public required IReadOnlyList<SpecDiagnostic> Diagnostics { get; init; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
