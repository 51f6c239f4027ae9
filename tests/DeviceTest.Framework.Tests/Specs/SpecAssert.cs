using DeviceTest.Framework.Specs;

namespace DeviceTest.Framework.Tests.Specs;

/// <summary>Assertions on spec diagnostics: code, severity and exact position.</summary>
internal static class SpecAssert
{
    public static SpecLoadResult Load(string yaml, string fileName = "t.spec.yml") => SpecLoader.LoadText(yaml, fileName);

    public static TestSpec Valid(string yaml, string fileName = "t.spec.yml")
    {
        var result = Load(yaml, fileName);
        Assert.IsFalse(result.HasErrors, "unexpected errors:\n" + string.Join('\n', result.Diagnostics));
        Assert.IsNotNull(result.Spec);
        return result.Spec;
    }

    /// <summary>Asserts the result has exactly one diagnostic with <paramref name="code"/>, at line:column, and returns it.</summary>
    public static SpecDiagnostic Has(SpecLoadResult result, string code, int line, int column, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        var all = string.Join('\n', result.Diagnostics);
        var matches = result.Diagnostics.Where(d => d.Code == code).ToList();
        Assert.HasCount(1, matches, $"expected one {code}, got:\n{all}");
        var diagnostic = matches[0];
        Assert.AreEqual((line, column), (diagnostic.Position.Line, diagnostic.Position.Column), $"position of {code}:\n{all}");
        Assert.AreEqual(severity, diagnostic.Severity, all);
        if (severity == DiagnosticSeverity.Error)
        {
            Assert.IsNull(result.Spec, "a spec with errors must not be returned");
        }

        return diagnostic;
    }

    /// <summary>Asserts that the only diagnostic is <paramref name="code"/> at line:column.</summary>
    public static SpecDiagnostic Only(string yaml, string code, int line, int column, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        var result = Load(yaml);
        Assert.HasCount(1, result.Diagnostics, string.Join('\n', result.Diagnostics));
        return Has(result, code, line, column, severity);
    }
}
