using DeviceTest.Framework.Tests.Suites.Samples;

namespace DeviceTest.Framework.Tests.Suites;

/// <summary>Expected source lines of sample methods, computed from the text of SampleSuites.cs.</summary>
internal static class SampleLines
{
    /// <summary>
    /// The 1-based line of a method's body as the PDB records it: the opening brace of a block body in a Debug build,
    /// its first statement (or closing brace, when empty) in an optimized build, or the line of an expression body.
    /// </summary>
    public static int BodyLine(string methodName) => BodyLines(methodName)[Optimized ? 1 : 0];

    /// <summary>True when this test assembly was compiled with optimizations (Release).</summary>
    public static bool Optimized { get; } =
        typeof(SampleLines).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>()
            .All(d => !d.IsJITOptimizerDisabled);

    private static int[] BodyLines(string methodName)
    {
        var lines = File.ReadAllLines(SampleSource.Path);
        var declaration = Array.FindIndex(lines, l => (l.Contains($" {methodName}(", StringComparison.Ordinal) || l.Contains($" {methodName}<", StringComparison.Ordinal)) && l.TrimStart().StartsWith("public", StringComparison.Ordinal));
        if (declaration < 0)
        {
            throw new InvalidOperationException($"{methodName} is not declared in {SampleSource.Path}");
        }

        if (lines[declaration].Contains("=>", StringComparison.Ordinal))
        {
            return [declaration + 1, declaration + 1];
        }

        var brace = Array.FindIndex(lines, declaration + 1, l => l.Trim() == "{");
        return [brace + 1, brace + 2];
    }
}
