using System.Reflection;

namespace DeviceTest.Framework.Suites;

/// <summary>
/// One discovered device test, everything a test list needs without running anything: ids, names, timeout, tags,
/// skip reason and the method's source file and line (from the assembly's portable PDB).
/// </summary>
public sealed class SuiteTestDescriptor
{
    internal SuiteTestDescriptor(SuiteDescriptor suite, MethodInfo method, int index)
    {
        Suite = suite;
        Method = method;
        Index = index;
        Id = suite.TypeName + "." + method.Name;
        DisplayName = method.Name;
    }

    public SuiteDescriptor Suite { get; }

    /// <summary>The test method.</summary>
    public MethodInfo Method { get; }

    /// <summary>Position in the suite (0-based, declaration order).</summary>
    public int Index { get; }

    /// <summary>The fully qualified name, <c>Namespace.Type.Method</c>: stable across runs and machines.</summary>
    public string Id { get; }

    /// <summary>The suite class's full name (<see cref="SuiteDescriptor.TypeName"/>).</summary>
    public string SuiteTypeName => Suite.TypeName;

    public string MethodName => Method.Name;

    /// <summary><see cref="DeviceTestAttribute.Name"/>, or the method's name.</summary>
    public string DisplayName { get; internal init; }

    /// <summary>The test's own timeout, or null for the run's default.</summary>
    public TimeSpan? Timeout { get; internal init; }

    /// <summary>Tags from the class and the method, without duplicates, class tags first.</summary>
    public IReadOnlyList<string> RequiredTags { get; internal init; } = [];

    /// <summary><see cref="DeviceTestAttribute.Skip"/>, or null.</summary>
    public string? SkipReason { get; internal init; }

    /// <summary>
    /// Why this method cannot run (wrong signature, bad timeout), or null. Such a test is still listed, so users see it,
    /// and fails with this message when run; discovery also reports it as a diagnostic.
    /// </summary>
    public string? Problem { get; internal init; }

    /// <summary>The .cs file of the method, as recorded in the PDB; null when there is no PDB.</summary>
    public string? SourceFile { get; internal init; }

    /// <summary>
    /// The 1-based first line of the method's body that the PDB knows: the opening brace in a Debug build, the first
    /// statement in an optimized one, the expression of an expression-bodied method; null when unknown.
    /// </summary>
    public int? SourceLine { get; internal init; }

    public override string ToString() => Id;
}
